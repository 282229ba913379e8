namespace TicketHub.Contracts;

/// <summary>What the collège wrote, as validated and stored by intake.</summary>
/// <param name="Zone"><c>ZP</c>, <c>ZA</c>, or null when the requester did not know.</param>
/// <param name="Type"><c>incident</c> or <c>request</c> (installation, move, new need).</param>
/// <param name="Urgency"><c>low</c>, <c>normal</c>, <c>high</c> or <c>critical</c>.</param>
/// <param name="Attachments">Files sent with the ticket (null or empty when none).</param>
public sealed record TicketDetails(
    string CollegeUai,
    Requester Requester,
    string? Zone,
    string Category,
    string Type,
    bool BuildingImpact,
    string Title,
    string Description,
    string Urgency,
    string? Location,
    string? Equipment,
    IReadOnlyList<AttachmentRef>? Attachments = null);
