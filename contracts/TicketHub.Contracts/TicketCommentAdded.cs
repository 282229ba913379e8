namespace TicketHub.Contracts;

/// <summary>
/// Published by intake when the collège adds information to its ticket. The connector of the tool
/// that holds the ticket adds it there (GLPI follow-up, iTop public log, PASS/Omère message).
/// </summary>
/// <param name="CommentId">Stable id: the connector records it so that the comment is added once
/// and not echoed back as a reply.</param>
/// <param name="Tool">The tool holding the ticket when the comment was written, or null if none yet.</param>
/// <param name="ExternalId">The ticket's id in that tool, or null.</param>
/// <param name="Attachments">Files sent with the comment (from the ticket's page or in a reply by
/// e-mail), kept in intake like the ticket's own; null or empty when none. The tools that take files
/// (GLPI, iTop) add them to their ticket, each once; the others' message names them (ADR 11).</param>
/// <param name="CollegeUai">The ticket's collège: where a tool files the comment's documents (GLPI's
/// entity, iTop's organisation). Null in messages written before comments carried files.</param>
/// <param name="Origin">Who wrote it (<see cref="CommentOrigins"/>); null, in messages written before
/// comments said so, is the collège.</param>
/// <param name="VisitedOn">For <see cref="CommentOrigins.OnSiteVisit"/>, the day of the visit (it may be
/// recorded later); null otherwise.</param>
public sealed record TicketCommentAdded(
    Guid TicketId,
    string Reference,
    Guid CommentId,
    string Text,
    string AuthorName,
    DateTimeOffset At,
    string? Tool,
    string? ExternalId,
    IReadOnlyList<AttachmentRef>? Attachments = null,
    string? CollegeUai = null,
    string? Origin = null,
    DateOnly? VisitedOn = null);
