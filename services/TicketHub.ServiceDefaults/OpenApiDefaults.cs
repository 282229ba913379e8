using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace TicketHub.ServiceDefaults;

/// <summary>
/// Each service describes its own endpoints in an OpenAPI 3.1 document generated from them
/// (Microsoft.AspNetCore.OpenApi), at <c>/openapi/v1.json</c>, for the gateway to merge and publish
/// (<c>/api/v1/openapi.json</c>). Every <c>/api</c> operation gets the French RFC 9457 answers it can
/// give: 401 and 403 always, 404 on a path with an identifier, 400, 413, 415 and 422 when it reads a
/// body; an endpoint adds its own (<c>ProducesProblem</c>), such as 409 or 429.
/// </summary>
public static class OpenApiDefaults
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    public const string ProblemSchema = "FrenchProblemDetails";

    public static IServiceCollection AddTicketHubOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Components ??= new OpenApiComponents();
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas[ProblemSchema] = Problem();
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var path = "/" + (context.Description.RelativePath ?? "").TrimStart('/');
                if (!path.StartsWith("/api/", StringComparison.Ordinal))
                {
                    return Task.CompletedTask;
                }

                var method = context.Description.HttpMethod ?? "GET";
                var statuses = new List<int> { StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden };
                if (path.Contains('{', StringComparison.Ordinal))
                {
                    statuses.Add(StatusCodes.Status404NotFound);
                }

                if (method is "POST" or "PUT" or "PATCH")
                {
                    statuses.AddRange([StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity]);
                }

                operation.Responses ??= new OpenApiResponses();
                foreach (var status in statuses)
                {
                    var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (!operation.Responses.ContainsKey(key))
                    {
                        operation.Responses[key] = ProblemResponse(status);
                    }
                }

                // An endpoint's own ProducesProblem (409, 429…) has no body description yet: the French shape.
                foreach (var (key, response) in operation.Responses)
                {
                    if (int.TryParse(key, out var status) && status >= 400 && response is OpenApiResponse concrete
                        && (concrete.Content is null || concrete.Content.Count == 0 || concrete.Content.ContainsKey("application/problem+json")))
                    {
                        var french = ProblemResponse(status);
                        concrete.Description = french.Description;
                        concrete.Content = french.Content;
                    }
                }

                return Task.CompletedTask;
            });
        });

    /// <summary><c>/openapi/v1.json</c>, anonymous: it says what the API is, nothing about its data.</summary>
    public static WebApplication MapTicketHubOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        return app;
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "Réponse d'erreur RFC 9457, en français.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "URI du type d'erreur." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Intitulé de l'erreur, en français." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Code HTTP." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Ce qui s'est passé et que faire, en français." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Identifiant de la trace, à donner à l'assistance." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Pour 422 : les messages de chaque champ, en français.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };

    private static OpenApiResponse ProblemResponse(int status) => new()
    {
        Description = ProblemDetailsDefaults.TitleFor(status),
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new()
            {
                Schema = new OpenApiSchemaReference(ProblemSchema),
                Example = new JsonObject
                {
                    ["type"] = $"https://tools.ietf.org/html/rfc9110#section-15.{(status >= 500 ? 6 : 5)}",
                    ["title"] = ProblemDetailsDefaults.TitleFor(status),
                    ["status"] = status,
                    ["detail"] = status == StatusCodes.Status422UnprocessableEntity
                        ? "La demande contient des erreurs : corrigez les champs indiqués puis renvoyez-la."
                        : ProblemDetailsDefaults.DetailFor(status),
                },
            },
        },
    };
}
