using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using TicketHub.Contracts;

namespace TicketHub.Intake.Tickets;

/// <summary>
/// The body of <c>POST /api/v1/tickets</c> as the OpenAPI document shows it. Intake reads the body
/// itself (<see cref="TicketRequestParser"/>, ADR 4) so that every error is reported at once: this type
/// only names the fields for the endpoint's metadata, and <see cref="TicketRequestParser"/> is what
/// decides. A test keeps both in step (the parser accepts the document's example).
/// </summary>
[Description("Une demande : le collège, qui la fait, de quoi il s'agit.")]
public sealed record TicketCreationRequest(
    [property: Required, RegularExpression("^[0-9]{7}[A-Z]$"), Description("Code UAI du collège.")] string CollegeUai,
    [property: Required, Description("Qui fait la demande.")] TicketCreationRequester Requester,
    [property: Description("ZP (pédagogique), ZA (administrative) ou null si on ne sait pas.")] string? Zone,
    [property: Required, Description("Code de catégorie (GET /api/v1/categories).")] string Category,
    [property: Description("incident (par défaut) ou request.")] string? Type,
    [property: Description("La demande concerne le bâtiment.")] bool? BuildingImpact,
    [property: Required, MaxLength(200), Description("Titre, sur une ligne.")] string Title,
    [property: Required, MaxLength(10_000), Description("Description.")] string Description,
    [property: Description("low, normal (par défaut), high ou critical.")] string? Urgency,
    [property: MaxLength(200), Description("Lieu (salle, bâtiment).")] string? Location,
    [property: MaxLength(200), Description("Équipement concerné.")] string? Equipment)
{
    /// <summary>The example the document shows, which the parser accepts (tested).</summary>
    public static JsonObject Example => new()
    {
        ["collegeUai"] = "0931234X",
        ["requester"] = new JsonObject { ["name"] = "Claire Martin", ["email"] = "claire.martin@ac-creteil.fr" },
        ["zone"] = "ZP",
        ["category"] = "vpi",
        ["type"] = "incident",
        ["buildingImpact"] = false,
        ["title"] = "Le VPI de la salle 12 ne s'allume plus",
        ["description"] = "Depuis ce matin.",
        ["urgency"] = "high",
        ["location"] = "Salle 12",
    };

    /// <summary>
    /// The request body: JSON, or the same JSON in a <c>ticket</c> part with up to 5 files in
    /// <c>attachments</c>. Described here rather than with <c>Accepts</c>, whose content-type check would
    /// answer before intake's own French 415.
    /// </summary>
    public static async Task DescribeBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(TicketCreationRequest), null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "La demande, en JSON ; avec des fichiers, en multipart/form-data.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = schema, Example = Example },
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "ticket" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["ticket"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Le JSON de la demande, comme en application/json." },
                            ["attachments"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Array,
                                MaxItems = 5,
                                Description = "Jusqu'à 5 fichiers de 10 Mo : images PNG, JPEG, GIF, WebP, PDF, texte, Word, Excel, PowerPoint, OpenDocument.",
                                Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                            },
                        },
                    },
                },
            },
        };
    }
}

[Description("Qui fait la demande.")]
public sealed record TicketCreationRequester(
    [property: Required, MaxLength(200)] string Name,
    [property: Required, EmailAddress] string Email,
    [property: MaxLength(50)] string? Phone);
