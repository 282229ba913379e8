using System.Globalization;
using Refit;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Connectors.Shared.Http;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>
/// A ticket's files as GLPI documents: one upload per file (<c>POST /Document</c>, multipart), linked
/// to the ticket in the same call. Each document's name carries the attachment's marker
/// (<c>TH-2026-000042 — photo.jpg [att:…]</c>), so that after an upload whose answer was lost the
/// document is found by name instead of being uploaded twice.
/// </summary>
internal sealed partial class GlpiDocuments(
    IGlpiApi glpi,
    GlpiTicketMapper mapper,
    TimeProvider clock,
    ILogger<GlpiDocuments> logger) : IDocumentTool
{
    /// <summary>GLPI's <c>glpi_documents.name</c> holds 255 characters.</summary>
    private const int MaxNameLength = 255;

    public string Tool => ExternalTools.Glpi;

    public string DisplayName => "GLPI";

    /// <summary>What a document's name carries to be found again: <c>[att:{id}]</c>.</summary>
    public static string Marker(Guid attachmentId) => $"[att:{attachmentId:D}]";

    /// <summary><c>TH-2026-000042 — photo.jpg [att:…]</c>, the file name shortened when the whole would not fit.</summary>
    public static string Name(string reference, AttachmentRef attachment)
    {
        var marker = Marker(attachment.Id);
        var room = MaxNameLength - reference.Length - marker.Length - " —  ".Length;
        var fileName = attachment.FileName.Length <= room ? attachment.FileName : attachment.FileName[..Math.Max(0, room - 1)] + "…";
        return $"{reference} — {fileName} {marker}";
    }

    public async Task<string?> FindAsync(DocumentTarget target, AttachmentRef attachment, IReadOnlySet<string> claimed, CancellationToken cancellationToken)
    {
        var found = await glpi.FindDocumentByNameAsync(attachment.Id.ToString("D"), Marker(attachment.Id), cancellationToken);
        if (found is null)
        {
            return null;
        }

        // GLPI adds the document and its link in one call; should the link be missing, it is added now.
        var ticketId = TicketId(target);
        var links = await glpi.GetAllDocumentLinksAsync(found.Id, cancellationToken);
        if (!links.Exists(link => link.ItemType == "Ticket" && link.ItemId == ticketId))
        {
            await glpi.LinkDocumentAsync(new GlpiInput<GlpiDocumentItemInput>(new GlpiDocumentItemInput { DocumentId = found.Id, ItemId = ticketId }), cancellationToken);
            LogLinked(found.Id, ticketId);
        }

        return found.Id.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<DocumentOutcome> AddAsync(DocumentTarget target, AttachmentRef attachment, byte[] content, CancellationToken cancellationToken)
    {
        var routed = target.Routed;
        var input = new GlpiDocumentInput
        {
            Name = Name(routed.Reference, attachment),
            FileNames = [attachment.FileName],
            ItemId = TicketId(target),
            EntityId = mapper.Map(routed).EntityId,
        };
        try
        {
            using var upload = GlpiDocumentUpload.Create(input, attachment.FileName, attachment.ContentType, content);
            var created = await glpi.UploadDocumentAsync(upload, cancellationToken);
            return new DocumentOutcome.Added(created.Id.ToString(CultureInfo.InvariantCulture));
        }
        catch (ApiException ex)
        {
            var error = GlpiError.From(ex.StatusCode, ex.Content);
            if (error.IsRefusal)
            {
                // ERROR_UPLOAD_FILE_TOO_BIG_POST_MAX_SIZE names the size in its code; rights are 403 (ERROR_RIGHT_MISSING).
                var reason = DocumentRefusal.From(DisplayName, attachment, $"{error.Code} {error.Message}",
                    rightsMissing: error.Status == System.Net.HttpStatusCode.Forbidden);
                return new DocumentOutcome.Refused(reason, $"GLPI a refusé le document (HTTP {(int)error.Status} {error.Code}) : {error.Message}");
            }

            LogUploadFailed(attachment.Id, routed.Reference, (int)error.Status, error.Code, error.Message);
            await RetryAfter.WaitAsAskedAsync(ex, clock, delay => LogWaitingAsAsked(routed.Reference, delay.TotalSeconds), cancellationToken);
            throw new GlpiException($"GLPI could not add attachment {attachment.Id} of ticket {routed.Reference}: {error}", error, ex);
        }
    }

    private static int TicketId(DocumentTarget target) => int.Parse(target.ExternalId, CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI failed on attachment {AttachmentId} of ticket {Reference}, will retry: HTTP {Status} {GlpiCode} {GlpiMessage}")]
    private partial void LogUploadFailed(Guid attachmentId, string reference, int status, string glpiCode, string glpiMessage);

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI asked to wait before the files of ticket {Reference} are sent again (Retry-After): waiting {Seconds} s")]
    private partial void LogWaitingAsAsked(string reference, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI document {DocumentId} was not linked to ticket {GlpiId}: linked now")]
    private partial void LogLinked(int documentId, int glpiId);
}
