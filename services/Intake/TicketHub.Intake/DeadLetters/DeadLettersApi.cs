using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Intake.Http;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.DeadLetters;

/// <summary>
/// Messages the services gave up on after every retry and redelivery: the administrators' list,
/// and their two ways out, replay (after a fix) or discard (with a reason).
/// </summary>
public static class DeadLettersApi
{
    public const int DiscardReasonMaxLength = 500;

    private const int ServiceMaxLength = 100;

    /// <summary>The size of <c>dead_letter_actions.acted_by</c> and <c>reported_dead_letters.resolved_by</c>.</summary>
    private const int AuditNameLength = 200;

    private static readonly HashSet<string> DiscardFields = new(StringComparer.Ordinal) { "reason" };

    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var deadLetters = app.MapGroup("/api/v1/admin/dead-letters").WithTags("Dead letters").RequireHubRoles(HubRoles.Admin);
        deadLetters.MapGet("/", ListAsync);
        deadLetters.MapGet("/{id}", GetAsync);
        deadLetters.MapPost("/replay", ReplayAllAsync);
        deadLetters.MapPost("/{id}/replay", ReplayAsync);
        deadLetters.MapPost("/{id}/discard", DiscardAsync);
        return app;
    }

    /// <summary>
    /// Dead letters oldest failure first, by pages of <c>limit</c> (100 by default, 500 at most);
    /// <c>next</c> is the <c>after</c> of the following page. Open ones only unless <c>state</c> says otherwise.
    /// </summary>
    private static async Task<Results<Ok<Page<DeadLetterView>>, ProblemHttpResult>> ListAsync(
        DeadLetterStore store, CancellationToken cancellationToken,
        string? state = null, string? service = null, int? limit = null, string? after = null)
    {
        state = NullIfBlank(state) ?? DeadLetterStates.Open;
        if (state is not (DeadLetterStates.Open or DeadLetterStates.Replayed or DeadLetterStates.Discarded or DeadLetterStates.All))
        {
            return Problems.Of(StatusCodes.Status400BadRequest,
                $"« state » vaut {DeadLetterStates.Open} (par défaut), {DeadLetterStates.Replayed}, {DeadLetterStates.Discarded} ou {DeadLetterStates.All}.");
        }

        if (ServiceProblem(service, out var serviceName) is { } problem)
        {
            return problem;
        }

        if (Paging.Read(limit, after, out var request) is { } pagingProblem)
        {
            return pagingProblem;
        }

        var page = await store.ListAsync(serviceName, state == DeadLetterStates.All ? null : state, request, cancellationToken);
        return page is null
            ? Paging.UnknownAfter("aucun message en échec")
            : TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<DeadLetterView>, ProblemHttpResult>> GetAsync(string id, DeadLetterStore store, CancellationToken cancellationToken)
    {
        var letter = Guid.TryParse(id, out var parsed) ? await store.FindAsync(parsed, cancellationToken) : null;
        return letter is null ? NotFound() : TypedResults.Ok(letter);
    }

    /// <summary>
    /// Asks the owning service to send its copy back to the queue (202: the replay itself happens
    /// there, a moment later). Should the message fail again, it comes back as a new dead letter.
    /// </summary>
    private static async Task<Results<Accepted<DeadLetterView>, ProblemHttpResult>> ReplayAsync(
        string id, HttpRequest request, DeadLetterStore store, CancellationToken cancellationToken)
    {
        var user = request.HttpContext.HubUser().AuditNameWithin(AuditNameLength);

        if (!Guid.TryParse(id, out var parsed))
        {
            return NotFound();
        }

        var result = await store.ReplayAsync(parsed, user, cancellationToken);
        if (!result.Found)
        {
            return NotFound();
        }

        return result.ConflictDetail is { } conflict
            ? Problems.Of(StatusCodes.Status409Conflict, conflict)
            : TypedResults.Accepted($"/api/v1/admin/dead-letters/{parsed}", result.DeadLetter!);
    }

    /// <summary>Replays every open dead letter, of one service when <c>service</c> is given; answers how many.</summary>
    private static async Task<Results<Accepted<ReplayAllResult>, ProblemHttpResult>> ReplayAllAsync(
        HttpRequest request, DeadLetterStore store, CancellationToken cancellationToken, string? service = null)
    {
        var user = request.HttpContext.HubUser().AuditNameWithin(AuditNameLength);

        if (ServiceProblem(service, out var serviceName) is { } problem)
        {
            return problem;
        }

        var replayed = await store.ReplayAllAsync(serviceName, user, cancellationToken);
        return TypedResults.Accepted((string?)null, new ReplayAllResult(replayed));
    }

    /// <summary>Gives up on an open dead letter: <c>{"reason": "…"}</c>, required, kept with who and when.</summary>
    private static async Task<Results<Ok<DeadLetterView>, ProblemHttpResult>> DiscardAsync(
        string id, HttpRequest request, DeadLetterStore store, CancellationToken cancellationToken)
    {
        var user = request.HttpContext.HubUser().AuditNameWithin(AuditNameLength);

        var (document, _, problem) = await JsonRequest.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        string? reason;
        using (var json = document!)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors["$"] = ["Le corps doit être un objet JSON {\"reason\"}."];
                reason = null;
            }
            else
            {
                JsonFields.RejectUnknown(json.RootElement, DiscardFields, errors);
                reason = JsonFields.Text(json.RootElement, "reason", DiscardReasonMaxLength, errors, multiLine: true);
                if (reason is null && !errors.ContainsKey("reason"))
                {
                    errors["reason"] = ["Indiquez pourquoi le message est abandonné : la raison est gardée avec l'action."];
                }
            }

            if (errors.Count > 0)
            {
                return Problems.Validation(errors, "L'abandon contient des erreurs : corrigez les champs indiqués.");
            }
        }

        if (!Guid.TryParse(id, out var parsed))
        {
            return NotFound();
        }

        var result = await store.DiscardAsync(parsed, reason!, user, cancellationToken);
        if (!result.Found)
        {
            return NotFound();
        }

        return result.ConflictDetail is { } conflict
            ? Problems.Of(StatusCodes.Status409Conflict, conflict)
            : TypedResults.Ok(result.DeadLetter!);
    }

    /// <summary>Checks the optional <c>service</c> filter (e.g. <c>connectors-glpi</c>).</summary>
    private static ProblemHttpResult? ServiceProblem(string? service, out string? name)
    {
        name = NullIfBlank(service);
        return name is { Length: > ServiceMaxLength }
            ? Problems.Of(StatusCodes.Status400BadRequest, $"« service » compte au plus {ServiceMaxLength} caractères.")
            : null;
    }

    private static ProblemHttpResult NotFound() =>
        Problems.Of(StatusCodes.Status404NotFound, "Aucun message en échec ne porte cet identifiant.");

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
