using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Contracts;
using TicketHub.Intake.Http;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Followers;

/// <summary>
/// <c>POST /api/v1/tickets/{id}/followers</c>: « C'est le même problème : suivre ce signalement ».
/// <c>POST /api/v1/tickets/{id}/duplicate-of</c>: « doublon de TH-… », for the Pôle TIE and the teams.
/// </summary>
public static class FollowersApi
{
    private const int ReportMaxLength = FieldFormats.TitleMaxLength + 2 + FieldFormats.DescriptionMaxLength;

    private static readonly HashSet<string> FollowFields = new(StringComparer.Ordinal) { "email", "text" };

    private static readonly HashSet<string> DuplicateFields = new(StringComparer.Ordinal) { "ticket" };

    public static IEndpointRouteBuilder MapFollowersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/tickets/{id}/followers", FollowAsync).WithTags("Tickets")
            .RequireHubRoles(HubRoles.College, HubRoles.Dispatcher, HubRoles.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Suivre une demande qui signale le même problème")
            .WithDescription("La personne connectée suit la demande au lieu d'en ouvrir une autre ; ce qu'elle a écrit (text) est ajouté au fil et transmis une fois à l'outil. 201 la première fois, 200 ensuite ; 409 si la demande est résolue, close ou un doublon.");
        app.MapPost("/api/v1/tickets/{id}/duplicate-of", CloseAsDuplicateAsync).WithTags("Tickets")
            .RequireHubRoles(HubRoles.Infogerant, HubRoles.Rectorat, HubRoles.Omere, HubRoles.Dispatcher, HubRoles.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Clore une demande comme doublon d'une autre")
            .WithDescription("Corps {\"ticket\": \"TH-2026-000123\"} : la demande gardée, du même collège. La demande est close avec ce renvoi, son demandeur suit la demande gardée, l'outil qui la tenait en est averti.");
        return app;
    }

    private static async Task<Results<Created<FollowerView>, Ok<FollowerView>, ProblemHttpResult>> FollowAsync(
        string id, HttpContext context, TicketStore tickets, FollowerStore followers, CancellationToken cancellationToken)
    {
        var user = context.HubUser();
        if (TicketAccess.Refusal(user, await tickets.FindScopeAsync(id, cancellationToken)) is { } refusal)
        {
            return refusal;
        }

        var (json, errors, problem) = await ReadObjectAsync(context.Request, FollowFields, "{\"email\", \"text\"}", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using var document = json!;
        var root = document.RootElement;
        var email = errors.Count > 0 ? null : JsonFields.Text(root, "email", 254, errors);
        var text = errors.Count > 0 ? null : JsonFields.Text(root, "text", ReportMaxLength, errors, multiLine: true);
        if (email is not null && !FieldFormats.IsEmail(email))
        {
            errors["email"] = ["L'adresse électronique n'est pas valide : elle doit ressembler à prenom.nom@ac-creteil.fr."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "La demande de suivi contient des erreurs : corrigez les champs indiqués.");
        }

        var result = await followers.FollowAsync(id, user, email, text, cancellationToken);
        if (!result.Found)
        {
            return TicketAccess.Refusal(user, null)!;
        }

        if (result.ConflictDetail is { } conflict)
        {
            return Problems.Of(StatusCodes.Status409Conflict, conflict);
        }

        return result.IsNew
            ? TypedResults.Created($"/api/v1/tickets/{id}", result.Follower!)
            : TypedResults.Ok(result.Follower!);
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> CloseAsDuplicateAsync(
        string id, HttpContext context, FollowerStore followers, CancellationToken cancellationToken)
    {
        var user = context.HubUser();
        var (json, errors, problem) = await ReadObjectAsync(context.Request, DuplicateFields, "{\"ticket\"}", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using var document = json!;
        var root = document.RootElement;
        var kept = errors.Count > 0 ? null : JsonFields.Text(root, "ticket", 100, errors);
        if (kept is null && !errors.ContainsKey("ticket") && errors.Count == 0)
        {
            errors["ticket"] = ["Indiquez la demande gardée, par sa référence (TH-2026-000123)."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "Le rattachement contient des erreurs : corrigez les champs indiqués.");
        }

        var result = await followers.CloseAsDuplicateAsync(id, kept!, user, cancellationToken);
        if (!result.Found)
        {
            return TicketAccess.Refusal(user, result.Hidden)!;
        }

        return result.Ticket is { } ticket
            ? TypedResults.Ok(TicketAccess.ForReader(user, ticket))
            : Problems.Of(result.Status!.Value, result.Detail!);
    }

    /// <summary>The body as a JSON object: a malformed body is its problem; a non-object or an unknown field, an error against it.</summary>
    private static async Task<(JsonDocument? Json, Dictionary<string, string[]> Errors, ProblemHttpResult? Problem)> ReadObjectAsync(
        HttpRequest request, IReadOnlySet<string> known, string shape, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (document, _, problem) = await JsonRequest.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return (null, errors, problem);
        }

        var root = document!.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = [$"Le corps doit être un objet JSON {shape}."];
        }
        else
        {
            JsonFields.RejectUnknown(root, known, errors);
        }

        return (document, errors, null);
    }
}
