using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Refit;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Connectors.Shared.Http;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>
/// A ticket's files as iTop Attachments of its UserRequest or Incident (<c>core/create</c> of class
/// Attachment, <c>item_class</c> the class the ledger recorded, the file in base64). An Attachment has no field of its own to carry a marker, and its file name is
/// what the technician downloads, so it keeps the collège's name: after a create whose answer was
/// lost, the request's Attachments are read back and the one with the same name and the same
/// content (SHA-256), not already recorded for another file, is the one.
/// </summary>
internal sealed partial class ItopDocuments(
    ItopClient itop,
    ItopTicketMapper mapper,
    ItopDates dates,
    IDbConnectionFactory connections,
    TimeProvider clock,
    ILogger<ItopDocuments> logger) : IDocumentTool
{
    public string Tool => ExternalTools.Itop;

    public string DisplayName => "iTop";

    public async Task<string?> FindAsync(DocumentTarget target, AttachmentRef attachment, IReadOnlySet<string> claimed, CancellationToken cancellationToken)
    {
        var attachments = await itop.GetAttachmentsAsync(Oql.AttachmentsOf(await TicketOfAsync(target, cancellationToken)), cancellationToken);
        return attachments
            .Where(found => found.Fields.Contents is { } file
                && string.Equals(file.FileName, attachment.FileName, StringComparison.Ordinal)
                && HasContent(file, attachment.Sha256))
            .Select(found => found.Key.ToString(CultureInfo.InvariantCulture))
            .FirstOrDefault(key => !claimed.Contains(key));
    }

    public async Task<DocumentOutcome> AddAsync(DocumentTarget target, AttachmentRef attachment, byte[] content, CancellationToken cancellationToken)
    {
        var ticket = await TicketOfAsync(target, cancellationToken);
        var fields = new ItopAttachmentInput
        {
            ItemClass = ticket.Class,
            ItemId = ticket.Key,
            ItemOrgId = mapper.OrgOf(target.CollegeUai),
            CreationDate = dates.ToItop(clock.GetUtcNow()),
            Contents = new ItopBlob(Convert.ToBase64String(content), attachment.FileName, attachment.ContentType),
        };
        try
        {
            var created = await itop.CreateAttachmentAsync(fields, $"TicketHub {target.Reference}", cancellationToken);
            return new DocumentOutcome.Added(created.Key.ToString(CultureInfo.InvariantCulture));
        }
        catch (ItopException ex)
        {
            var reason = DocumentRefusal.From(DisplayName, attachment, ex.Error.Message, rightsMissing: ex.Error.Code == ItopError.Unauthorized);
            return new DocumentOutcome.Refused(reason, $"iTop a refusé le fichier (code {ex.Error.Code}) : {ex.Error.Message}");
        }
        catch (ApiException ex) when (ex.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            // The web server in front of iTop turned the request away for its size: it will again.
            return new DocumentOutcome.Refused(
                DocumentRefusal.TooLarge("le serveur d'iTop", attachment),
                "Le serveur d'iTop refuse un envoi de cette taille (HTTP 413).");
        }
        catch (ApiException ex)
        {
            LogUploadFailed(attachment.Id, target.Reference, (int)ex.StatusCode);
            await RetryAfter.WaitAsAskedAsync(ex, clock, delay => LogWaitingAsAsked(target.Reference, delay.TotalSeconds), cancellationToken);
            throw;
        }
    }

    private async Task<ItopTicketRef> TicketOfAsync(DocumentTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return new ItopTicketRef(await ItopKeys.ClassOfAsync(connection, null, target.TicketId, cancellationToken), ItopKeys.Parse(target.ExternalId));
    }

    /// <summary>Whether the base64 <paramref name="file"/> holds the content whose SHA-256 is <paramref name="sha256"/>.</summary>
    private static bool HasContent(ItopBlob file, string sha256)
    {
        var bytes = new byte[file.Data.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(file.Data, bytes, out var length)
            && string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, length))), sha256, StringComparison.OrdinalIgnoreCase);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "iTop failed on attachment {AttachmentId} of ticket {Reference}, will retry: HTTP {Status}")]
    private partial void LogUploadFailed(Guid attachmentId, string reference, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "iTop asked to wait before the files of ticket {Reference} are sent again (Retry-After): waiting {Seconds} s")]
    private partial void LogWaitingAsAsked(string reference, double seconds);
}
