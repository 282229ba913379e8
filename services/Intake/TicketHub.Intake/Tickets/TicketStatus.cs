namespace TicketHub.Intake.Tickets;

/// <summary>
/// Hub statuses. A ticket only moves forward: messages arrive from several services and queues in
/// no guaranteed order (a connector's <c>TicketForwarded</c> can overtake the classifier's
/// <c>TicketRouted</c>), so a late message may add information but never move the status back.
/// </summary>
public static class TicketStatus
{
    public const string Received = "received";
    public const string Routed = "routed";
    public const string Triage = "triage";
    public const string Failed = "failed";
    public const string Forwarded = "forwarded";
    public const string InProgress = "in-progress";
    public const string Waiting = "waiting";
    public const string Resolved = "resolved";
    public const string Closed = "closed";

    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        [Received] = 0,
        [Routed] = 1,
        [Triage] = 1,
        [Failed] = 1,
        [Forwarded] = 2,
        [InProgress] = 3,
        [Waiting] = 3,
        [Resolved] = 4,
        [Closed] = 5,
    };

    /// <summary>Whether a ticket in <paramref name="from"/> may take <paramref name="to"/>.</summary>
    public static bool CanMove(string from, string to) =>
        from != to && Rank.TryGetValue(from, out var a) && Rank.TryGetValue(to, out var b) && b >= a && b > 0;
}
