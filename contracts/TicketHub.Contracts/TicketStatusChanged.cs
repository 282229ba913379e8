namespace TicketHub.Contracts;

/// <summary>
/// Published by intake, the one owner of a ticket's state, each time it changes a ticket's status or
/// route: what the ticket is now, after intake's rules decided (the tool's order, a dispatcher's
/// route kept, the pipeline only moving forward). Read models (the classifier's index of open
/// tickets) apply it as it is and never decide again: a change whose <paramref name="Version"/> is
/// not above the one they hold is an older one arriving late, and is ignored.
/// </summary>
/// <param name="Status">One of <see cref="HubStatuses"/>.</param>
/// <param name="RouteTarget">One of <see cref="RouteTargets"/>, or null before the ticket is routed.</param>
/// <param name="Tool">The tool the ticket is routed to (<see cref="ExternalTools"/>), or null.</param>
/// <param name="Version">The ticket's version after the change: rises with every change of the ticket.</param>
/// <param name="DuplicateOf">The reference of the ticket this one was closed as a duplicate of, or null.</param>
public sealed record TicketStatusChanged(
    Guid TicketId,
    string Reference,
    string CollegeUai,
    string Status,
    string? RouteTarget,
    string? Tool,
    long Version,
    DateTimeOffset At,
    string? DuplicateOf = null);
