using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Contracts;
using TicketHub.Intake.Http;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Conversation;

/// <summary>
/// For tools the hub cannot read (PASS and Omère in e-mail or manual mode): an operator of the tool
/// reports what happened there, and it is applied exactly like a connector's <see cref="ExternalTicketUpdated"/>.
/// </summary>
public static class ExternalUpdatesApi
{
    /// <summary>Statuses an operator can report; <c>forwarded</c> comes from the relay confirmation.</summary>
    private static readonly string[] Statuses = [HubStatuses.InProgress, HubStatuses.Waiting, HubStatuses.Resolved, HubStatuses.Closed];

    /// <summary>The size of <c>operator_reports.reported_by</c>.</summary>
    private const int AuditNameLength = 200;

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal) { "status", "reply", "authorName" };

    public static IEndpointRouteBuilder MapExternalUpdatesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/tickets/{id}/external-updates", ReportAsync).WithTags("Tickets")
            .RequireHubRoles(HubRoles.Rectorat, HubRoles.Omere, HubRoles.Admin);
        return app;
    }

    /// <summary>
    /// Applies the report at once and answers with the ticket as the collège now sees it. The
    /// Rectorat reports on PASS tickets, the building service on Omère tickets, an administrator on
    /// either (<see cref="TicketAccess"/>); who reported is the signed-in user.
    /// </summary>
    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> ReportAsync(
        string id, HttpContext context, TicketStore tickets, ConversationStore conversation, CancellationToken cancellationToken)
    {
        var user = context.HubUser();
        if (TicketAccess.Refusal(user, await tickets.FindScopeAsync(id, cancellationToken)) is { } refusal)
        {
            return refusal;
        }

        var ticket = await tickets.FindAsync(id, cancellationToken);
        if (ticket is null)
        {
            return TicketAccess.Refusal(user, null)!;
        }

        var (document, _, problem) = await JsonRequest.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        OperatorReport? report;
        using (var json = document!)
        {
            (report, var errors) = Parse(json.RootElement);
            if (report is null)
            {
                return Problems.Validation(errors, "Le signalement contient des erreurs : corrigez les champs indiqués.");
            }
        }

        var result = await conversation.ReportAsync(ticket!.Id.ToString(), report, user.AuditNameWithin(AuditNameLength), cancellationToken);
        if (!result.Found)
        {
            return Problems.Of(StatusCodes.Status404NotFound, TicketAccess.NotFoundDetail);
        }

        return result.ConflictDetail is { } conflict
            ? Problems.Of(StatusCodes.Status409Conflict, conflict)
            : TypedResults.Ok(result.Ticket!);
    }

    private static (OperatorReport? Report, Dictionary<string, string[]> Errors) Parse(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["Le corps doit être un objet JSON {\"status\", \"reply\", \"authorName\"}."];
            return (null, errors);
        }

        JsonFields.RejectUnknown(root, Fields, errors);
        var status = JsonFields.Text(root, "status", 20, errors);
        var reply = JsonFields.Text(root, "reply", CommentsApi.TextMaxLength, errors, multiLine: true);
        var author = JsonFields.Text(root, "authorName", CommentsApi.AuthorMaxLength, errors);
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            errors["status"] = [$"Statut inconnu. Valeurs possibles : {string.Join(", ", Statuses)}."];
        }

        if (status is null && reply is null && !errors.ContainsKey("status") && !errors.ContainsKey("reply"))
        {
            errors["$"] = ["Indiquez le nouveau statut (« status »), la réponse de l'outil (« reply »), ou les deux."];
        }

        return errors.Count > 0 ? (null, errors) : (new OperatorReport(status, reply, author), errors);
    }
}

/// <summary>What an operator saw in the tool: a status, a reply, or both.</summary>
/// <param name="AuthorName">Who wrote the reply in the tool; the tool's name when not given.</param>
public sealed record OperatorReport(string? Status, string? Reply, string? AuthorName);
