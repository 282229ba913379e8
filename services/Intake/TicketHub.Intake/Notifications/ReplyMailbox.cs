using Dapper;
using Microsoft.Extensions.Options;
using MimeKit;
using TicketHub.Contracts;
using TicketHub.Intake.Conversation;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Hosting;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Notifications;

/// <summary>
/// Replies to the notifications, read from the Maildir the mail server delivers the reply address
/// into (ADR 21): a reply whose address is signed for its sender and its ticket becomes the person's
/// comment on the ticket (its timeline, and the team's tool once), the quoted text removed. Any other
/// (an unknown sender, a forged or another person's address, an empty or closed ticket) is answered
/// with why, and nothing is stored. Automatic mails (Auto-Submitted, the hub's own) are never answered:
/// no mail loop. Each mail is taken once (by Message-ID), then filed as read (Maildir <c>cur</c>);
/// mail for other addresses is left as it is.
/// </summary>
public sealed partial class ReplyMailbox(
    UnitOfWork units,
    ConversationStore conversation,
    NotificationLinks links,
    IOutbox outbox,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<ReplyMailbox> logger) : PeriodicWork(logger)
{
    public const string Added = "added";
    public const string Refused = "refused";
    public const string Ignored = "ignored";

    private const string InsertSql = """
        INSERT INTO inbound_mails (message_id, ticket_id, outcome, received_at)
        SELECT @MessageId, @TicketId, @Outcome, @Now WHERE NOT EXISTS (SELECT 1 FROM inbound_mails WHERE message_id = @MessageId)
        """;

    protected override TimeSpan Interval => options.Value.ReplyPollInterval;

    protected override bool Enabled => options.Value.TakesReplies;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => ReadOnceAsync(cancellationToken);

    /// <summary>Takes every new reply of the Maildir.</summary>
    /// <returns>How many mails were for the reply address.</returns>
    public async Task<int> ReadOnceAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(options.Value.ReplyMaildir, "new");
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var taken = 0;
        foreach (var file in Directory.EnumerateFiles(folder).OrderBy(File.GetLastWriteTimeUtc).ToList())
        {
            MimeMessage message;
            try
            {
                message = await MimeMessage.LoadAsync(file, cancellationToken);
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                continue;
            }

            if (ReplyAddressOf(message) is not { } address)
            {
                continue;
            }

            await TakeAsync(message, address, cancellationToken);
            FileAsRead(file);
            taken++;
        }

        return taken;
    }

    /// <summary>One reply, in a unit of work: recorded once, then a comment, or an answer saying why not.</summary>
    public Task<string> TakeAsync(MimeMessage message, (Guid TicketId, string Signature) address, CancellationToken cancellationToken) =>
        units.RunAsync(async () =>
        {
            var messageId = message.MessageId ?? $"{address.TicketId:N}.{message.Date.ToUnixTimeMilliseconds()}";
            var from = message.From.Mailboxes.FirstOrDefault();
            var (outcome, why) = IsAutomatic(message, from) ? (Ignored, null)
                : from is null || !links.VerifyReply(address.TicketId, from.Address, address.Signature)
                    ? (Refused, "Cette adresse de réponse n'est pas la vôtre : répondez au dernier courriel que TicketHub vous a envoyé, depuis l'adresse qui l'a reçu, ou ajoutez l'information sur la page de la demande.")
                    : (Added, null);
            var text = outcome == Added ? ReplyText.Extract(message, CommentsApi.TextMaxLength) : "";
            if (outcome == Added && text.Length == 0)
            {
                (outcome, why) = (Refused, "Votre réponse ne contient pas de texte (hors citation) : écrivez-le au-dessus du message cité.");
            }

            var recorded = await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(InsertSql,
                new { MessageId = messageId, address.TicketId, Outcome = outcome, Now = clock.GetUtcNow() }, UnitOfWork.Current, cancellationToken: cancellationToken));
            if (recorded == 0)
            {
                return Ignored;
            }

            if (outcome == Added)
            {
                var added = await conversation.AddCommentAsync(address.TicketId, text, string.IsNullOrWhiteSpace(from!.Name) ? from.Address : from.Name, "requester", cancellationToken);
                if (added.IsClosed || !added.Found)
                {
                    (outcome, why) = (Refused, "Cette demande est close : pour un nouveau problème, faites une nouvelle demande sur le portail.");
                }
            }

            if (outcome == Refused && from is not null)
            {
                await AnswerAsync(message, from, why!, cancellationToken);
            }

            LogTaken(outcome, address.TicketId);
            return outcome;
        }, cancellationToken);

    private (Guid TicketId, string Signature)? ReplyAddressOf(MimeMessage message) =>
        message.To.Mailboxes.Concat(message.Cc.Mailboxes)
            .Select(m => links.ParseReplyAddress(m.Address))
            .FirstOrDefault(parsed => parsed is not null)
        ?? (message.Headers["Delivered-To"] is { } delivered ? links.ParseReplyAddress(delivered) : null);

    /// <summary>An auto-reply, a delivery report, or the hub's own mail: never answered.</summary>
    private bool IsAutomatic(MimeMessage message, MailboxAddress? from) =>
        message.Headers["Auto-Submitted"] is { } auto && !auto.Trim().Equals("no", StringComparison.OrdinalIgnoreCase)
        || from is not null && MailboxAddress.TryParse(options.Value.From, out var hub) && from.Address.Equals(hub.Address, StringComparison.OrdinalIgnoreCase);

    private Task AnswerAsync(MimeMessage message, MailboxAddress to, string why, CancellationToken cancellationToken)
    {
        var subject = message.Subject is { } s && !s.StartsWith("Re", StringComparison.OrdinalIgnoreCase) ? "Re: " + s : message.Subject ?? "Votre réponse à TicketHub";
        var text = $"Bonjour,\n\nVotre message n'a pas été ajouté à une demande : {why}\n\n-- \nTicketHub, le guichet numérique des collèges\n";
        var html = $"<!DOCTYPE html><html lang=\"fr\"><body><p>Bonjour,</p><p>Votre message n'a pas été ajouté à une demande : {System.Net.WebUtility.HtmlEncode(why)}</p></body></html>";
        return outbox.EnqueueAsync(new NotificationMailRequested(Guid.CreateVersion7(), Guid.Empty, "", NotificationKinds.ReplyRefused, to.Address,
            string.IsNullOrWhiteSpace(to.Name) ? null : to.Name, subject, text, html, "", null, null, message.MessageId), cancellationToken);
    }

    private static void FileAsRead(string file)
    {
        var cur = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(file)!)!, "cur");
        Directory.CreateDirectory(cur);
        try
        {
            File.Move(file, Path.Combine(cur, Path.GetFileName(file) + ":2,S"));
        }
        catch (FileNotFoundException)
        {
            // Another replica filed it first.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply by e-mail for ticket {TicketId}: {Outcome}")]
    private partial void LogTaken(string outcome, Guid ticketId);
}
