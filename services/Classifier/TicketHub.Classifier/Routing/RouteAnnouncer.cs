using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Suggestions;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Classifier.Routing;

/// <summary>
/// Records a decision, automatic or a dispatcher's, and announces it as <see cref="TicketRouted"/>
/// in the unit of work in progress (the inbox's, with its record), so it is recorded and announced once;
/// the routed ticket enters the index of open tickets (<see cref="OpenTicketIndex"/>) in that unit too.
/// </summary>
public sealed class RouteAnnouncer(RoutingDecisionStore decisions, OpenTicketIndex openTickets, IOutbox outbox, TimeProvider clock)
{
    public async Task AnnounceAsync(
        Guid ticketId,
        string reference,
        DateTimeOffset createdAt,
        TicketDetails ticket,
        RouteDecision route,
        College? college,
        CancellationToken cancellationToken)
    {
        var routedAt = clock.GetUtcNow();
        await decisions.InsertAsync(ticketId, reference, route, routedAt, cancellationToken);
        await openTickets.RoutedAsync(ticketId, reference, createdAt, ticket, route, cancellationToken);
        var snapshot = college is null ? null : new CollegeSnapshot(college.Uai, college.Name, college.Commune, college.Ut);
        await outbox.EnqueueAsync(new TicketRouted(ticketId, reference, createdAt, ticket, route, snapshot, routedAt), cancellationToken);
    }
}
