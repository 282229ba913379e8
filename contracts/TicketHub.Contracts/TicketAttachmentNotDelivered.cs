namespace TicketHub.Contracts;

/// <summary>
/// Published by the GLPI or iTop connector, once per file, when one of the ticket's files will never
/// reach the tool: the tool refused it for good (size, type, rights), or intake no longer has it.
/// The ticket stays forwarded without it; intake shows it in the ticket's timeline, so that the
/// collège knows to send the file another way.
/// </summary>
/// <param name="AttachmentId">The file's <see cref="AttachmentRef.Id"/>.</param>
/// <param name="FileName">The file's name as the collège gave it.</param>
/// <param name="Tool">One of <see cref="ExternalTools"/>: <c>glpi</c> or <c>itop</c>.</param>
/// <param name="Reason">Why, in French, for the collège to read after a colon: « fichier trop volumineux
/// pour GLPI (3,1 Mo) ». Written by the connector: short, never a raw answer of the tool.</param>
public sealed record TicketAttachmentNotDelivered(
    Guid TicketId,
    string Reference,
    Guid AttachmentId,
    string FileName,
    string Tool,
    string Reason,
    DateTimeOffset At);
