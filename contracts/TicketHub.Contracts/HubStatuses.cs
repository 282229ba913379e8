namespace TicketHub.Contracts;

/// <summary>
/// Every status of a hub ticket, as the API shows it and messages carry it. The hub's own pipeline
/// moves a ticket through <see cref="Received"/>, then <see cref="Routed"/> or <see cref="Triage"/>
/// (or <see cref="Failed"/>), then <see cref="Forwarded"/>; from there the team's tool decides
/// (<see cref="External"/>, carried by <see cref="ExternalTicketUpdated"/>).
/// </summary>
public static class HubStatuses
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

    /// <summary>Every status, in the order of a ticket's life.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Received, Routed, Triage, Failed, Forwarded, InProgress, Waiting, Resolved, Closed];

    /// <summary>The statuses an external tool can put a ticket in.</summary>
    public static IReadOnlySet<string> External { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Forwarded, InProgress, Waiting, Resolved, Closed,
    };

    /// <summary>Whether a ticket in <paramref name="status"/> is still a fault being worked on: neither resolved nor closed.</summary>
    public static bool IsOpen(string status) => status is not (Resolved or Closed);
}
