using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Intake.Http;
using TicketHub.ServiceDefaults;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Triage;

public static class TriageApi
{
    /// <summary>The size of <c>ticket_reroutes.requested_by</c>.</summary>
    private const int AuditNameLength = 200;

    public static IEndpointRouteBuilder MapTriageApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/triage", ListAsync).WithTags("Triage").RequireHubRoles(HubRoles.Dispatcher, HubRoles.Admin);
        app.MapPost("/api/v1/tickets/{id}/reroute", RerouteAsync).WithTags("Triage").RequireHubRoles(HubRoles.Dispatcher, HubRoles.Admin);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<TriageItem>>, ProblemHttpResult>> ListAsync(
        TriageStore store, CancellationToken cancellationToken, int? limit = null)
    {
        if (Paging.ReadLimit(limit, out var take) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(await store.ListAsync(take, cancellationToken));
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> RerouteAsync(
        string id, HttpContext context, TriageStore store, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var (document, _, problem) = await JsonRequest.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (var json = document!)
        {
            var (reroute, errors) = RerouteRequest.Parse(json.RootElement);
            if (reroute is null)
            {
                return Problems.Validation(errors!, "La réorientation contient des erreurs : corrigez les champs indiqués.");
            }

            var result = await store.RerouteAsync(id, reroute, context.HubUser().AuditNameWithin(AuditNameLength), cancellationToken);
            if (!result.Found)
            {
                return Problems.Of(StatusCodes.Status404NotFound, TicketAccess.NotFoundDetail);
            }

            return result.ConflictDetail is { } conflict
                ? Problems.Of(StatusCodes.Status409Conflict, conflict)
                : TypedResults.Ok(result.Ticket!);
        }
    }
}
