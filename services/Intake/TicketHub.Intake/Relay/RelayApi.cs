using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Contracts;
using TicketHub.Intake.Http;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Relay;

/// <summary>
/// The relay queue of the PASS and Omère operators: what to enter by hand, and the confirmation
/// once it is entered (with the number the tool gave the ticket).
/// </summary>
public static class RelayApi
{
    public const int ExternalIdMaxLength = 64;

    private const int QueueMaxLength = 100;

    /// <summary>The size of <c>relay_items.acknowledged_by</c>.</summary>
    private const int AuditNameLength = 200;

    private static readonly HashSet<string> AcknowledgeFields = new(StringComparer.Ordinal) { "externalId" };

    public static IEndpointRouteBuilder MapRelayApi(this IEndpointRouteBuilder app)
    {
        var relay = app.MapGroup("/api/v1/relay").WithTags("Relay")
            .RequireHubRoles(HubRoles.Rectorat, HubRoles.Omere, HubRoles.Admin);
        relay.MapGet("/", ListAsync);
        relay.MapGet("/{itemId}", GetAsync);
        relay.MapPost("/{itemId}/ack", AcknowledgeAsync);
        return app;
    }

    /// <summary>
    /// Items oldest first, by pages of <c>limit</c> (100 by default, 500 at most); <c>next</c> is
    /// the <c>after</c> of the following page. Pending items only unless <c>state</c> says otherwise.
    /// </summary>
    private static async Task<Results<Ok<Page<RelayItemView>>, ProblemHttpResult>> ListAsync(
        HttpContext context, RelayStore store, CancellationToken cancellationToken,
        string? tool = null, string? queue = null, string? state = null, int? limit = null, string? after = null)
    {
        tool = NullIfBlank(tool);
        if (tool is not null && !RelayStore.Tools.Contains(tool))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, $"« tool » vaut {string.Join(" ou ", RelayStore.Tools)}.");
        }

        if (ToolOf(context.HubUser()) is { } own)
        {
            if (tool is not null && tool != own)
            {
                return Problems.Of(StatusCodes.Status403Forbidden, $"Vous ne voyez que la file de saisie de {ToolNames.Of(own)}.");
            }

            tool = own;
        }

        queue = NullIfBlank(queue);
        if (queue is { Length: > QueueMaxLength })
        {
            return Problems.Of(StatusCodes.Status400BadRequest, $"« queue » compte au plus {QueueMaxLength} caractères.");
        }

        state = NullIfBlank(state) ?? RelayStates.Pending;
        if (state is not (RelayStates.Pending or RelayStates.Acknowledged or RelayStates.All))
        {
            return Problems.Of(StatusCodes.Status400BadRequest,
                $"« state » vaut {RelayStates.Pending} (par défaut), {RelayStates.Acknowledged} ou {RelayStates.All}.");
        }

        if (Paging.Read(limit, after, out var request) is { } problem)
        {
            return problem;
        }

        var page = await store.ListAsync(tool, queue, state == RelayStates.All ? null : state, request, cancellationToken);
        return page is null
            ? Paging.UnknownAfter("aucun élément de la file")
            : TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<RelayItemView>, ProblemHttpResult>> GetAsync(
        string itemId, HttpContext context, RelayStore store, CancellationToken cancellationToken)
    {
        var item = Guid.TryParse(itemId, out var id) ? await store.FindAsync(id, cancellationToken) : null;
        return Refusal(context.HubUser(), item) is { } refusal ? refusal : TypedResults.Ok(item!);
    }

    /// <summary>The tool whose queue a role works (the Rectorat PASS, the building service Omère); null for an administrator, who sees both.</summary>
    private static string? ToolOf(HubUser user) => user.Role switch
    {
        HubRoles.Rectorat => ExternalTools.Pass,
        HubRoles.Omere => ExternalTools.Omere,
        _ => null,
    };

    /// <summary>404 for an unknown item, 403 for an item of the other tool's queue; null when the user may act on it.</summary>
    private static ProblemHttpResult? Refusal(HubUser user, RelayItemView? item) => item switch
    {
        null => NotFound(),
        _ when ToolOf(user) is { } own && item.Tool != own =>
            Problems.Of(StatusCodes.Status403Forbidden, $"Cet élément est dans la file de saisie de {ToolNames.Of(item.Tool)} : vous traitez celle de {ToolNames.Of(own)}."),
        _ => null,
    };

    /// <summary>
    /// The operator confirms that the item is in the tool: <c>{"externalId": "…"}</c>, the tool's
    /// number for a ticket, nothing for a comment. Confirming twice with the same number is harmless.
    /// </summary>
    private static async Task<Results<Ok<RelayItemView>, ProblemHttpResult>> AcknowledgeAsync(
        string itemId, HttpContext context, RelayStore store, CancellationToken cancellationToken)
    {
        var user = context.HubUser();
        var item = Guid.TryParse(itemId, out var id) ? await store.FindAsync(id, cancellationToken) : null;
        if (Refusal(user, item) is { } refusal)
        {
            return refusal;
        }

        var (document, _, problem) = await JsonRequest.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        string? externalId;
        using (var json = document!)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors["$"] = ["Le corps doit être un objet JSON {\"externalId\"}."];
                externalId = null;
            }
            else
            {
                JsonFields.RejectUnknown(json.RootElement, AcknowledgeFields, errors);
                externalId = JsonFields.Text(json.RootElement, "externalId", ExternalIdMaxLength, errors);
            }

            if (errors.Count > 0)
            {
                return Problems.Validation(errors, "La confirmation contient des erreurs : corrigez les champs indiqués.");
            }
        }

        var result = await store.AcknowledgeAsync(id, externalId, user.AuditNameWithin(AuditNameLength), cancellationToken);
        if (!result.Found)
        {
            return NotFound();
        }

        if (result.InvalidDetail is { } invalid)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["externalId"] = [invalid] },
                "La confirmation contient des erreurs : corrigez les champs indiqués.");
        }

        return result.ConflictDetail is { } conflict
            ? Problems.Of(StatusCodes.Status409Conflict, conflict)
            : TypedResults.Ok(result.Item!);
    }

    private static ProblemHttpResult NotFound() =>
        Problems.Of(StatusCodes.Status404NotFound, "Aucun élément de la file de saisie manuelle ne porte cet identifiant.");

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
