namespace TicketHub.Contracts;

/// <summary>
/// Published by the classifier. Carries the ticket itself so that a connector can create the
/// external ticket without calling back into intake.
/// </summary>
/// <param name="College">Null when the collège is unknown to the registry (the route is then triage).</param>
public sealed record TicketRouted(
    Guid TicketId,
    string Reference,
    DateTimeOffset CreatedAt,
    TicketDetails Ticket,
    RouteDecision Route,
    CollegeSnapshot? College,
    DateTimeOffset RoutedAt);
