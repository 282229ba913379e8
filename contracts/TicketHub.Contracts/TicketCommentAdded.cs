namespace TicketHub.Contracts;

/// <summary>
/// Published by intake when the collège adds information to its ticket. The connector of the tool
/// that holds the ticket adds it there (GLPI follow-up, iTop public log, PASS/Omère message).
/// </summary>
/// <param name="CommentId">Stable id: the connector records it so that the comment is added once
/// and not echoed back as a reply.</param>
/// <param name="Tool">The tool holding the ticket when the comment was written, or null if none yet.</param>
/// <param name="ExternalId">The ticket's id in that tool, or null.</param>
public sealed record TicketCommentAdded(
    Guid TicketId,
    string Reference,
    Guid CommentId,
    string Text,
    string AuthorName,
    DateTimeOffset At,
    string? Tool,
    string? ExternalId);
