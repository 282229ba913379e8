using System.Globalization;
using System.Security.Cryptography;
using Refit;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Connectors.Shared.Http;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>
/// A ticket's files as GLPI documents: one upload per file (<c>POST /Document</c>, multipart), linked
/// to the ticket in the same call. GLPI 10 renames a document linked on upload ("Document : Ticket -
/// &lt;title&gt;"), so after an upload whose answer was lost the document is found by what GLPI keeps
/// (ADR 13): among the documents linked to the ticket, the one whose <c>sha1sum</c> is the SHA-1 of
/// the file's bytes (read again from intake, which checks their SHA-256), not given to another file.
/// </summary>
internal sealed partial class GlpiDocuments(
    IGlpiApi glpi,
    GlpiTicketMapper mapper,
    AttachmentSource source,
    TimeProvider clock,
    ILogger<GlpiDocuments> logger) : IDocumentTool
{
    /// <summary>GLPI's <c>glpi_documents.name</c> holds 255 characters.</summary>
    private const int MaxNameLength = 255;

    public string Tool => ExternalTools.Glpi;

    public string DisplayName => "GLPI";

    /// <summary><c>TH-2026-000042 — photo.jpg</c>, shortened to fit (GLPI 10 replaces it when it links the document; GLPI 11 keeps it).</summary>
    public static string Name(string reference, AttachmentRef attachment)
    {
        var name = $"{reference} — {attachment.FileName}";
        return name.Length <= MaxNameLength ? name : name[..(MaxNameLength - 1)] + "…";
    }

    public async Task<string?> FindAsync(DocumentTarget target, AttachmentRef attachment, IReadOnlySet<string> claimed, CancellationToken cancellationToken)
    {
        var ticketId = TicketId(target);
        var links = await glpi.GetAllTicketDocumentLinksAsync(ticketId, cancellationToken);
        var candidates = links
            .Where(link => link.ItemType == "Ticket" && link.ItemId == ticketId)
            .Select(link => link.DocumentId)
            .Where(id => !claimed.Contains(id.ToString(CultureInfo.InvariantCulture)))
            .Distinct()
            .Order()
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        // Null: intake no longer has the file; the sender records it missing.
        if (await source.DownloadAsync(target.TicketId, attachment, cancellationToken) is not { } content)
        {
            return null;
        }

        var sha1 = Convert.ToHexStringLower(SHA1.HashData(content));
        GlpiDocument? match = null;
        foreach (var id in candidates)
        {
            var document = await glpi.GetDocumentAsync(id, cancellationToken);
            if (string.Equals(document.Sha1, sha1, StringComparison.OrdinalIgnoreCase))
            {
                // Two files with the same bytes: the one with the file's own name first.
                if (document.FileName == attachment.FileName)
                {
                    return document.Id.ToString(CultureInfo.InvariantCulture);
                }

                match ??= document;
            }
        }

        return match?.Id.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<DocumentOutcome> AddAsync(DocumentTarget target, AttachmentRef attachment, byte[] content, CancellationToken cancellationToken)
    {
        var input = new GlpiDocumentInput
        {
            Name = Name(target.Reference, attachment),
            FileNames = [attachment.FileName],
            ItemId = TicketId(target),
            EntityId = mapper.EntityOf(target.CollegeUai),
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

            LogUploadFailed(attachment.Id, target.Reference, (int)error.Status, error.Code, error.Message);
            await RetryAfter.WaitAsAskedAsync(ex, clock, delay => LogWaitingAsAsked(target.Reference, delay.TotalSeconds), cancellationToken);
            throw new GlpiException($"GLPI could not add attachment {attachment.Id} of ticket {target.Reference}: {error}", error, ex);
        }
    }

    private static int TicketId(DocumentTarget target) => int.Parse(target.ExternalId, CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI failed on attachment {AttachmentId} of ticket {Reference}, will retry: HTTP {Status} {GlpiCode} {GlpiMessage}")]
    private partial void LogUploadFailed(Guid attachmentId, string reference, int status, string glpiCode, string glpiMessage);

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI asked to wait before the files of ticket {Reference} are sent again (Retry-After): waiting {Seconds} s")]
    private partial void LogWaitingAsAsked(string reference, double seconds);
}
