namespace TicketHub.Contracts;

/// <summary>
/// Published by intake when a dispatcher re-routes a ticket by hand (out of triage, or away from a
/// wrong destination). The classifier completes the route (default tool, Omère queue) and publishes
/// a <see cref="TicketRouted"/> with rule <see cref="ManualRule"/>; the connector of the previous
/// tool tells its ticket where the request went instead of leaving it orphaned.
/// </summary>
/// <param name="Target">One of <see cref="RouteTargets"/>.</param>
/// <param name="Tool">The tool asked for, or null to let the classifier choose the target's tool.</param>
/// <param name="Queue">The queue asked for, or null (Omère: the collège's UT).</param>
/// <param name="PreviousRoute">The route before, or null if there was none.</param>
/// <param name="PreviousExternal">The external ticket intake knew of, or null.</param>
public sealed record TicketRerouted(
    Guid TicketId,
    string Reference,
    DateTimeOffset CreatedAt,
    TicketDetails Ticket,
    string Target,
    string? Tool,
    string? Queue,
    RouteDecision? PreviousRoute,
    ExternalTicketRef? PreviousExternal,
    string Reason,
    string RequestedBy,
    DateTimeOffset ReroutedAt)
{
    /// <summary>Rule id of a route chosen by a person.</summary>
    public const string ManualRule = "MANUAL";
}
