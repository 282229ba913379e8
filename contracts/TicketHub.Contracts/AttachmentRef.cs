namespace TicketHub.Contracts;

/// <summary>
/// A file the collège attached to its ticket. The content stays in intake; a connector reads it from
/// <c>GET /api/v1/tickets/{ticketId}/attachments/{Id}</c> (through the gateway, with its API key) and
/// adds it to the external ticket as a document.
/// </summary>
/// <param name="Id">Stable id: a connector records it so that each file is added once.</param>
/// <param name="FileName">The name as the collège gave it, cleaned of any path.</param>
/// <param name="ContentType">The type intake recognised from the content (not from the name).</param>
/// <param name="Size">In bytes.</param>
/// <param name="Sha256">Lower-case hex of the content.</param>
public sealed record AttachmentRef(Guid Id, string FileName, string ContentType, long Size, string Sha256);
