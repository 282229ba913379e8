namespace TicketHub.Intake.Relay;

/// <summary>States of a relay item.</summary>
public static class RelayStates
{
    public const string Pending = "pending";
    public const string Acknowledged = "acknowledged";

    /// <summary>Query value meaning "either state".</summary>
    public const string All = "all";
}

/// <summary>Something an operator must copy by hand into PASS or Omère, as the relay API answers it.</summary>
/// <param name="ExternalId">For a comment: the tool's number of the ticket to add it to.</param>
/// <param name="TicketStatus">The hub ticket's status now (a ticket re-routed meanwhile shows it).</param>
/// <param name="Acknowledgement">Who confirmed it, when, with which number; null while pending.</param>
public sealed record RelayItemView(
    Guid ItemId,
    Guid TicketId,
    string Reference,
    string CollegeUai,
    string TicketStatus,
    string Tool,
    string Kind,
    string? Queue,
    string Subject,
    string Body,
    string? ExternalId,
    DateTimeOffset RequestedAt,
    string State,
    RelayAcknowledgement? Acknowledgement);

/// <param name="ExternalId">The number the tool gave the ticket (kind <c>ticket</c>); null for a comment.</param>
public sealed record RelayAcknowledgement(string By, DateTimeOffset At, string? ExternalId);
