namespace TicketHub.Contracts;

/// <summary>
/// Published by a connector when the external ticket changed: its status, a reply, or both.
/// Intake applies updates in the external tool's order (<paramref name="ExternalTimestamp"/>): an
/// older update never overwrites a newer one.
/// </summary>
/// <param name="Tool">One of <see cref="ExternalTools"/>.</param>
/// <param name="Status">The hub status the tool's status maps to (<c>forwarded</c>, <c>in-progress</c>,
/// <c>waiting</c>, <c>resolved</c>, <c>closed</c>), or null when only a reply came.</param>
/// <param name="ExternalStatus">The tool's own status, as it named it (e.g. GLPI <c>4</c>, iTop <c>pending</c>).</param>
/// <param name="ReplyText">Plain text of a public reply or solution, or null.</param>
/// <param name="AuthorRole"><c>technician</c>, <c>requester</c> or <c>system</c>.</param>
/// <param name="ExternalTimestamp">When the change happened in the tool (its clock, as an instant).</param>
/// <param name="ExternalEventId">A stable id of the change in the tool (e.g. <c>followup:12</c>,
/// <c>status:2026-11-23T10:15:00Z</c>), so that the same change seen twice is applied once.</param>
public sealed record ExternalTicketUpdated(
    Guid TicketId,
    string Reference,
    string Tool,
    string ExternalId,
    string? Status,
    string? ExternalStatus,
    string? ReplyText,
    string? AuthorRole,
    string? AuthorName,
    DateTimeOffset ExternalTimestamp,
    string ExternalEventId);
