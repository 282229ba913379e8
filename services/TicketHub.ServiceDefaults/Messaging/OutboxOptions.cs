namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>Bound from the <c>Outbox</c> section.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>How often the relay looks for unsent messages when nothing woke it up.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for the broker to confirm one publish.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages read per round.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long sent outbox rows and processed inbox ids are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
