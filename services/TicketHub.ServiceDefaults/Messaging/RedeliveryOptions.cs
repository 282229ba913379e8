namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// Bound from <c>Messaging:Retry</c>: how a consumer's failures are retried before the message
/// becomes a dead letter. A list set in configuration replaces the default one as a whole.
/// </summary>
public sealed class RedeliveryOptions
{
    public const string SectionName = "Messaging:Retry";

    private static readonly TimeSpan[] DefaultImmediate = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    private static readonly TimeSpan[] DefaultDelayed = [TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];

    /// <summary>Retries in the consumer, message held: for what passes in seconds (a lock, a blip). Default 0.2 s, 1 s, 3 s.</summary>
    public TimeSpan[]? Immediate { get; set; }

    /// <summary>
    /// Delayed redeliveries, message released and sent back to its queue after each delay: for an
    /// outage (a tool down for minutes). Default 15 s, 1 min, 5 min, 15 min. When both lists are
    /// spent, the message is a dead letter.
    /// </summary>
    public TimeSpan[]? Delayed { get; set; }

    /// <summary>How often the relay looks for redeliveries that are due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IReadOnlyList<TimeSpan> ImmediateIntervals => Immediate ?? DefaultImmediate;

    public IReadOnlyList<TimeSpan> DelayedIntervals => Delayed ?? DefaultDelayed;
}
