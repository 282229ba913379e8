using MailKit.Net.Smtp;
using MassTransit;
using Microsoft.Extensions.Options;
using MimeKit;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Notifications;

/// <summary>
/// Sends one notification through the SMTP server, once per message (the inbox). A server that
/// cannot be reached or answers "try later" (4xx) throws: retried, redelivered, then a dead letter
/// (ADR 8), never lost. An address it refuses for good (5xx on the recipient) is recorded on the
/// person (no more mail to it until they choose again) and the message is done. A refusal that comes
/// later, as a delivery report, goes to the envelope sender signed for the address
/// (<see cref="NotificationLinks.BounceAddress"/>), where <see cref="ReplyMailbox"/> reads it.
/// </summary>
public sealed partial class NotificationMailConsumer(
    IInbox inbox,
    NotificationPreferences preferences,
    NotificationLinks links,
    IOptions<NotificationOptions> options,
    ILogger<NotificationMailConsumer> logger) : IConsumer<NotificationMailRequested>
{
    public Task Consume(ConsumeContext<NotificationMailRequested> context)
    {
        var mail = context.Message;
        return inbox.ProcessOnceAsync<NotificationMailConsumer>(context, async () =>
        {
            try
            {
                await options.Value.Smtp.SendAsync(Message(mail, options.Value), context.CancellationToken, links.BounceAddress(mail.To));
                LogSent(mail.Kind, mail.Reference, mail.NotificationId);
            }
            catch (SmtpCommandException ex) when (ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)ex.StatusCode >= 500)
            {
                await preferences.RecordBounceAsync(mail.To, $"{(int)ex.StatusCode} {ex.Message}", context.CancellationToken);
                LogBounced(mail.Reference, (int)ex.StatusCode);
            }
        });
    }

    /// <summary>The mail as it leaves: plain text and HTML, threaded on the ticket, with RFC 8058's one-click unsubscribe when signed links are on.</summary>
    public static MimeMessage Message(NotificationMailRequested mail, NotificationOptions options)
    {
        var message = new MimeMessage
        {
            MessageId = mail.Kind == "received" ? mail.ThreadId : $"{mail.NotificationId:N}@{options.MessageIdDomain}",
            Subject = mail.Subject,
            Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody(),
        };
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(new MailboxAddress(mail.ToName ?? "", mail.To));
        if (mail.InReplyTo is { } answered)
        {
            message.InReplyTo = answered;
            message.References.Add(answered);
        }
        else if (mail.ThreadId.Length > 0 && message.MessageId != mail.ThreadId)
        {
            message.InReplyTo = mail.ThreadId;
            message.References.Add(mail.ThreadId);
        }

        if (mail.ReplyTo is { } replyTo)
        {
            message.ReplyTo.Add(new MailboxAddress("TicketHub", replyTo));
        }

        message.Headers.Add("X-TicketHub-Reference", mail.Reference);
        message.Headers.Add("X-TicketHub-Ticket-Id", mail.TicketId.ToString("D"));
        message.Headers.Add("Auto-Submitted", mail.InReplyTo is null ? "auto-generated" : "auto-replied");
        if (mail.UnsubscribeUrl is { } unsubscribe)
        {
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        return message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Kind} of ticket {Reference} sent ({NotificationId})")]
    private partial void LogSent(string kind, string reference, Guid notificationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification of ticket {Reference} refused for good by the mail server (SMTP {Status}): recorded on the person")]
    private partial void LogBounced(string reference, int status);
}

public sealed class NotificationMailConsumerDefinition : ConsumerDefinition<NotificationMailConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<NotificationMailConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}
