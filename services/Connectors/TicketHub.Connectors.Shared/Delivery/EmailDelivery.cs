using System.Text.Json;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using TicketHub.Connectors.Shared.Api;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Delivery;

/// <summary>
/// A structured e-mail to the tool's intake mailbox: the hub reference at the head of the subject,
/// the ticket as labelled plain text for a person and as the contract's JSON (<c>ticket.json</c>) for
/// a mailbox rule. Each ticket and each comment has one Message-Id, whatever the number of sends:
/// SMTP cannot be asked whether a message arrived, so after an uncertain send the same message is
/// sent again and the mailbox drops the copy by its Message-Id (ADR 0007).
/// </summary>
internal sealed partial class EmailDelivery(
    IOptions<ToolOptions> options,
    TicketText text,
    ToolDescriptor tool,
    ILogger<EmailDelivery> logger) : ITicketDelivery
{
    public async Task<DeliveryOutcome> DeliverAsync(TicketRouted routed, ForwardingAttempt attempt, CancellationToken cancellationToken)
    {
        var messageId = TicketMessageId(routed.Reference);
        var message = NewMessage(messageId, TicketText.Subject(routed.Reference, routed.Ticket.Title), routed.Reference, routed.TicketId);
        var json = new MimePart("application", "json")
        {
            Content = new MimeContent(new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(text.Structured(routed), ToolJsonContext.Default.ToolNewTicket))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "ticket.json",
        };
        message.Body = new Multipart("mixed") { new TextPart("plain") { Text = text.Body(routed) }, json };

        try
        {
            await SendAsync(message, cancellationToken);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            LogRefused(tool.DisplayName, routed.Reference, (int)ex.StatusCode, ex.Message);
            return new DeliveryOutcome.Refused($"La messagerie de {tool.DisplayName} a refusé le courriel (SMTP {(int)ex.StatusCode}) : {ex.Message}");
        }

        LogSent(tool.DisplayName, routed.Reference, messageId, attempt.IsRetry);
        return new DeliveryOutcome.Created(messageId, null, null, null);
    }

    public Task AddCommentAsync(TicketCommentAdded comment, string externalId, CancellationToken cancellationToken) =>
        ReplyAsync($"{comment.CommentId:N}", comment.Reference, comment.TicketId, CommentHeading.Subject(comment), text.CommentBody(comment, null), cancellationToken);

    public Task AddNoteAsync(HubNote note, string externalId, CancellationToken cancellationToken) =>
        ReplyAsync($"{note.Id:N}", note.Reference, note.TicketId, note.Subject, note.Text, cancellationToken);

    /// <summary>A mail in the ticket's thread (a reply to its first e-mail), <c>[reference] subject</c>, whose Message-ID starts with <paramref name="id"/>.</summary>
    private Task ReplyAsync(string id, string reference, Guid ticketId, string subject, string body, CancellationToken cancellationToken)
    {
        var message = NewMessage($"{id}@{options.Value.Email.MessageIdDomain}", $"[{reference}] {subject}", reference, ticketId);
        message.InReplyTo = TicketMessageId(reference);
        message.References.Add(message.InReplyTo);
        message.Body = new TextPart("plain") { Text = body };
        return SendAsync(message, cancellationToken);
    }

    /// <summary><c>TH-2026-000123.pass@tickethub.invalid</c>: the same for every send of the ticket.</summary>
    private string TicketMessageId(string reference) => $"{reference}.{tool.Tool}@{options.Value.Email.MessageIdDomain}";

    private MimeMessage NewMessage(string messageId, string subject, string reference, Guid ticketId)
    {
        var email = options.Value.Email;
        var message = new MimeMessage { MessageId = messageId, Subject = subject };
        message.From.Add(MailboxAddress.Parse(email.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        message.Headers.Add("X-TicketHub-Reference", reference);
        message.Headers.Add("X-TicketHub-Ticket-Id", ticketId.ToString("D"));
        return message;
    }

    private Task SendAsync(MimeMessage message, CancellationToken cancellationToken) => options.Value.Email.SendAsync(message, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} sent to {Tool}'s mailbox as {MessageId} (again after an uncertain send: {IsRetry})")]
    private partial void LogSent(string tool, string reference, string messageId, bool isRetry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tool}'s mail server refused ticket {Reference}: SMTP {Status} {Detail}")]
    private partial void LogRefused(string tool, string reference, int status, string detail);
}
