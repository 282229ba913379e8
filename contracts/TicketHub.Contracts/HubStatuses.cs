namespace TicketHub.Contracts;

/// <summary>Hub statuses an external tool can put a ticket in (see <see cref="ExternalTicketUpdated"/>).</summary>
public static class HubStatuses
{
    public const string Forwarded = "forwarded";
    public const string InProgress = "in-progress";
    public const string Waiting = "waiting";
    public const string Resolved = "resolved";
    public const string Closed = "closed";

    public static IReadOnlySet<string> External { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Forwarded, InProgress, Waiting, Resolved, Closed,
    };
}
