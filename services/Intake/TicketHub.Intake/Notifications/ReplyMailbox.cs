using Dapper;
using Microsoft.Extensions.Options;
using MimeKit;
using TicketHub.Contracts;
using TicketHub.Intake.Attachments;
using TicketHub.Intake.Conversation;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Hosting;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Notifications;

/// <summary>
/// Replies to the notifications, read from the Maildir the mail server delivers the reply address
/// into (ADR 21): a reply whose address is signed for its sender and its ticket becomes the person's
/// comment on the ticket (its timeline, and the team's tool once), the quoted text removed, its files
/// checked as the portal's (<see cref="ReplyFiles"/>; those refused are named in an answer). Any other
/// (an unknown sender, a forged or another person's address, an empty or closed ticket) is answered
/// with why, and nothing is stored. Automatic mails (Auto-Submitted, the hub's own) are never answered:
/// no mail loop. Each mail is taken once (by Message-ID), then filed as read (Maildir <c>cur</c>);
/// mail for other addresses is left as it is.
/// </summary>
public sealed partial class ReplyMailbox(
    UnitOfWork units,
    ConversationStore conversation,
    NotificationLinks links,
    TicketQuota quota,
    NotificationPreferences preferences,
    IOutbox outbox,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<ReplyMailbox> logger) : PeriodicWork(logger)
{
    public const string Added = "added";
    public const string Refused = "refused";
    public const string Ignored = "ignored";
    public const string Bounced = "bounced";

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

            if (ReplyAddressOf(message) is { } address)
            {
                await TakeAsync(message, address, cancellationToken);
            }
            else if (BounceSignatureOf(message) is { } signature)
            {
                await TakeReportAsync(message, signature, cancellationToken);
            }
            else
            {
                continue;
            }

            FileAsRead(file);
            taken++;
        }

        return taken;
    }

    /// <summary>
    /// One reply, in a unit of work: recorded once, then a comment with the files that pass the
    /// portal's checks and the collège's quota (an answer names those that did not), or an answer
    /// saying why nothing was taken.
    /// </summary>
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
            var files = outcome == Added ? await ReplyFiles.CheckAsync(message, cancellationToken) : new ReplyFiles.Checked([], []);
            IReadOnlyList<NewAttachment> accepted = files.Accepted;
            IReadOnlyList<string> refusedFiles = files.Refused;
            if (accepted.Count > 0 && await OverQuotaAsync(address.TicketId, accepted, cancellationToken) is { } overQuota)
            {
                refusedFiles = [.. refusedFiles, .. accepted.Select(file => $"« {file.FileName} » : {overQuota}")];
                accepted = [];
            }

            if (outcome == Added && text.Length == 0 && accepted.Count == 0)
            {
                (outcome, why) = (Refused, refusedFiles.Count == 0
                    ? "Votre réponse ne contient pas de texte (hors citation) : écrivez-le au-dessus du message cité."
                    : "Votre réponse ne contient pas de texte, et aucun de ses fichiers n'a pu être pris : " + string.Join(" ", refusedFiles));
            }

            var recorded = await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(InsertSql,
                new { MessageId = messageId, address.TicketId, Outcome = outcome, Now = clock.GetUtcNow() }, UnitOfWork.Current, cancellationToken: cancellationToken));
            if (recorded == 0)
            {
                return Ignored;
            }

            if (outcome == Added)
            {
                if (text.Length == 0)
                {
                    text = accepted.Count == 1 ? "Pièce jointe envoyée par courriel." : "Pièces jointes envoyées par courriel.";
                }

                var author = string.IsNullOrWhiteSpace(from!.Name) ? from.Address : from.Name;
                var added = await conversation.AddCommentAsync(address.TicketId, text, author, "requester", accepted, cancellationToken);
                if (added.IsClosed || !added.Found)
                {
                    (outcome, why) = (Refused, "Cette demande est close : pour un nouveau problème, faites une nouvelle demande sur le portail.");
                }
            }

            if (from is not null && (outcome == Refused || (outcome == Added && refusedFiles.Count > 0)))
            {
                await AnswerAsync(message, from, NotificationText.ReplyAnswer(message.Subject, outcome == Added, why, outcome == Added ? refusedFiles : []), cancellationToken);
            }

            LogTaken(outcome, address.TicketId, outcome == Added ? refusedFiles.Count : 0);
            return outcome;
        }, cancellationToken);

    /// <summary>
    /// A delivery report (RFC 3464, <c>multipart/report; report-type=delivery-status</c>) sent to the
    /// bounce address of a person (<see cref="NotificationLinks.BounceAddress"/>): each recipient it
    /// says failed for good (<c>Action: failed</c>, a 5.x.x status) is recorded as bounced, when the
    /// address is the one the bounce address was signed for. Taken once; never answered.
    /// </summary>
    /// <returns>How many addresses were recorded as bounced.</returns>
    public Task<int> TakeReportAsync(MimeMessage message, string signature, CancellationToken cancellationToken) =>
        units.RunAsync(async () =>
        {
            var messageId = message.MessageId ?? $"report.{signature}.{message.Date.ToUnixTimeMilliseconds()}";
            var failed = FailedRecipients(message).Where(failure => links.VerifyBounce(failure.Address, signature)).ToList();
            var recorded = await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(InsertSql,
                new { MessageId = messageId, TicketId = (Guid?)null, Outcome = failed.Count > 0 ? Bounced : Ignored, Now = clock.GetUtcNow() },
                UnitOfWork.Current, cancellationToken: cancellationToken));
            if (recorded == 0)
            {
                return 0;
            }

            foreach (var (address, reason) in failed)
            {
                await preferences.RecordBounceAsync(address, reason, cancellationToken);
                LogBounceReported(reason);
            }

            return failed.Count;
        }, cancellationToken);

    /// <summary>The recipients a delivery report says failed for good, with the status and the server's words.</summary>
    private static IEnumerable<(string Address, string Reason)> FailedRecipients(MimeMessage message)
    {
        if (message.Body is not MultipartReport { ReportType: { } type } || !type.Equals("delivery-status", StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }

        foreach (var status in message.BodyParts.OfType<MessageDeliveryStatus>())
        {
            // The first group is about the message; each of the others about one recipient.
            foreach (var recipient in status.StatusGroups.Skip(1))
            {
                var final = recipient["Final-Recipient"] ?? recipient["Original-Recipient"];
                var code = recipient["Status"]?.Trim() ?? "";
                if (final is null || !string.Equals(recipient["Action"]?.Trim(), "failed", StringComparison.OrdinalIgnoreCase) || !code.StartsWith('5'))
                {
                    continue;
                }

                var address = final[(final.IndexOf(';') + 1)..].Trim();
                var diagnostic = recipient["Diagnostic-Code"] is { } said ? " " + said[(said.IndexOf(';') + 1)..].Trim() : "";
                var reason = $"{code}{diagnostic}";
                yield return (address, reason.Length <= 500 ? reason : reason[..500]);
            }
        }
    }

    private string? BounceSignatureOf(MimeMessage message) =>
        message.To.Mailboxes.Select(m => links.ParseBounceAddress(m.Address)).FirstOrDefault(parsed => parsed is not null)
        ?? (message.Headers["Delivered-To"] is { } delivered ? links.ParseBounceAddress(delivered) : null);

    private const string SelectCollegeSql = "SELECT college_uai FROM tickets WHERE id = @Id";

    /// <summary>Why the files would pass the collège's daily quota of attachments; null when they fit (or the ticket is unknown: the comment says so).</summary>
    private async Task<string?> OverQuotaAsync(Guid ticketId, IReadOnlyList<NewAttachment> files, CancellationToken cancellationToken)
    {
        var college = await UnitOfWork.Connection.ExecuteScalarAsync<string?>(
            new CommandDefinition(SelectCollegeSql, new { Id = ticketId }, UnitOfWork.Current, cancellationToken: cancellationToken));
        return college is null ? null : await quota.CheckCommentFilesAsync(college, files.Sum(f => f.Content.LongLength), cancellationToken);
    }

    private (Guid TicketId, string Signature)? ReplyAddressOf(MimeMessage message) =>
        message.To.Mailboxes.Concat(message.Cc.Mailboxes)
            .Select(m => links.ParseReplyAddress(m.Address))
            .FirstOrDefault(parsed => parsed is not null)
        ?? (message.Headers["Delivered-To"] is { } delivered ? links.ParseReplyAddress(delivered) : null);

    /// <summary>An auto-reply, a delivery report, or the hub's own mail: never answered.</summary>
    private bool IsAutomatic(MimeMessage message, MailboxAddress? from) =>
        message.Headers["Auto-Submitted"] is { } auto && !auto.Trim().Equals("no", StringComparison.OrdinalIgnoreCase)
        || from is not null && MailboxAddress.TryParse(options.Value.From, out var hub) && from.Address.Equals(hub.Address, StringComparison.OrdinalIgnoreCase);

    private Task AnswerAsync(MimeMessage message, MailboxAddress to, NotificationText.Rendered answer, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync(new NotificationMailRequested(Guid.CreateVersion7(), Guid.Empty, "", NotificationKinds.ReplyRefused, to.Address,
            string.IsNullOrWhiteSpace(to.Name) ? null : to.Name, answer.Subject, answer.Text, answer.Html, "", null, null, message.MessageId), cancellationToken);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "A delivery report says an address refused its notification for good ({Reason}): recorded, nothing more is sent to it")]
    private partial void LogBounceReported(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply by e-mail for ticket {TicketId}: {Outcome} ({RefusedFiles} file(s) refused)")]
    private partial void LogTaken(string outcome, Guid ticketId, int refusedFiles);
}
