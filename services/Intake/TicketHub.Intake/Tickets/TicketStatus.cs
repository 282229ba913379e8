using TicketHub.Contracts;

namespace TicketHub.Intake.Tickets;

/// <summary>
/// The hub pipeline's order of statuses (ADR 3; the names are <see cref="HubStatuses"/>). A ticket only
/// moves forward: messages arrive from several services and queues in no guaranteed order (a
/// connector's <c>TicketForwarded</c> can overtake the classifier's <c>TicketRouted</c>), so a late
/// message may add information but never move the status back. <see cref="TicketLifecycle"/> applies it.
/// </summary>
public static class TicketStatus
{
    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        [HubStatuses.Received] = 0,
        [HubStatuses.Routed] = 1,
        [HubStatuses.Triage] = 1,
        [HubStatuses.Failed] = 1,
        [HubStatuses.Forwarded] = 2,
        [HubStatuses.InProgress] = 3,
        [HubStatuses.Waiting] = 3,
        [HubStatuses.Resolved] = 4,
        [HubStatuses.Closed] = 5,
    };

    /// <summary>Whether a ticket in <paramref name="from"/> may take <paramref name="to"/>.</summary>
    public static bool CanMove(string from, string to) =>
        from != to && Rank.TryGetValue(from, out var a) && Rank.TryGetValue(to, out var b) && b >= a && b > 0;
}
