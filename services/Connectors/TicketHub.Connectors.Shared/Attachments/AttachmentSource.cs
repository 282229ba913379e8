using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Attachments;

/// <summary>
/// Reads a ticket's file from intake (<c>GET api/v1/tickets/{ticketId}/attachments/{attachmentId}</c>,
/// through the gateway, with the connector's API key) and checks it is the file the ticket names:
/// the size and SHA-256 of <see cref="AttachmentRef"/>. The HTTP pipeline retries transient failures
/// (<see cref="AttachmentSourceExtensions"/>); what it cannot cure is thrown, so that the message is retried.
/// </summary>
public sealed partial class AttachmentSource(HttpClient http, ILogger<AttachmentSource> logger)
{
    /// <summary>
    /// The file's bytes; null when intake says it has no such file (404). Throws
    /// <see cref="AttachmentUnavailableException"/> for any other failure, a content that is not the
    /// one announced included: those are worth trying again.
    /// </summary>
    public async Task<byte[]?> DownloadAsync(Guid ticketId, AttachmentRef attachment, CancellationToken cancellationToken)
    {
        var path = $"api/v1/tickets/{ticketId:D}/attachments/{attachment.Id:D}";
        byte[] content;
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                LogMissing(attachment.Id, ticketId);
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    ? " (check Intake:ApiKey: a key of role infogerant; a ticket intake has not yet seen routed to the infogérant is refused too)"
                    : "";
                LogRefused(attachment.Id, ticketId, (int)response.StatusCode);
                throw new AttachmentUnavailableException(
                    $"Intake answered HTTP {(int)response.StatusCode} for attachment {attachment.Id} of ticket {ticketId}{hint}.");
            }

            content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new AttachmentUnavailableException($"Intake could not be reached for attachment {attachment.Id} of ticket {ticketId}: {ex.Message}", ex);
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (content.LongLength != attachment.Size || !string.Equals(sha256, attachment.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            LogMismatch(attachment.Id, ticketId, content.LongLength, attachment.Size);
            throw new AttachmentUnavailableException(
                $"Attachment {attachment.Id} of ticket {ticketId} is not the file announced: {content.LongLength} bytes, SHA-256 {sha256}; expected {attachment.Size} bytes, {attachment.Sha256}.");
        }

        return content;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Intake has no attachment {AttachmentId} for ticket {TicketId} (HTTP 404)")]
    private partial void LogMissing(Guid attachmentId, Guid ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Intake refused attachment {AttachmentId} of ticket {TicketId}: HTTP {Status}; will retry")]
    private partial void LogRefused(Guid attachmentId, Guid ticketId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment {AttachmentId} of ticket {TicketId} came with {Length} bytes or a hash that does not match ({Expected} bytes announced); will retry")]
    private partial void LogMismatch(Guid attachmentId, Guid ticketId, long length, long expected);
}

/// <summary>The file could not be read from intake, or was not the one announced: worth trying again.</summary>
public sealed class AttachmentUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>Adds intake's API key to each call; the key never reaches a log or an exception.</summary>
internal sealed class IntakeKeyHandler(IOptions<IntakeOptions> options) : DelegatingHandler
{
    public const string Header = "X-Api-Key";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            request.Headers.Remove(Header);
            request.Headers.TryAddWithoutValidation(Header, options.Value.ApiKey);
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            // A request message outlives the call inside exceptions and logs: it must not carry the key there.
            request.Headers.Remove(Header);
        }
    }
}
