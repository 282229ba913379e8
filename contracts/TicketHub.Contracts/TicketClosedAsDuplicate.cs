namespace TicketHub.Contracts;

/// <summary>
/// Published by intake when a dispatcher or a team closes a ticket as a duplicate of another
/// (« doublon de TH-… », issue 16): the duplicate is closed in the hub and its requester follows the
/// kept ticket. The connector of the tool holding the duplicate's ticket (<paramref name="Tool"/>,
/// <paramref name="ExternalId"/>) adds a note there saying where the fault is followed, and closes
/// that ticket when its configuration says so.
/// </summary>
/// <param name="Tool">The tool holding the duplicate's ticket, or null when it reached none.</param>
/// <param name="ExternalId">The duplicate's ticket in <paramref name="Tool"/>, or null.</param>
/// <param name="KeptTool">The tool holding the kept ticket, or null when it is in none (yet).</param>
/// <param name="KeptExternalId">The kept ticket's id in <paramref name="KeptTool"/>, or null.</param>
/// <param name="ClosedBy">Who linked them, as a technician reads it (« Anne Dupont (dispatcher) »).</param>
public sealed record TicketClosedAsDuplicate(
    Guid TicketId,
    string Reference,
    string? Tool,
    string? ExternalId,
    Guid KeptTicketId,
    string KeptReference,
    string? KeptTool,
    string? KeptExternalId,
    string ClosedBy,
    DateTimeOffset ClosedAt);
