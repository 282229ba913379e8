using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Attachments;

/// <summary>The tool's ticket a hub ticket's files go to.</summary>
/// <param name="CollegeUai">The ticket's collège: where the tool files its documents (GLPI's entity, iTop's organisation).</param>
/// <param name="ExternalId">The tool's id of the ticket (GLPI's ticket id, iTop's UserRequest key).</param>
public sealed record DocumentTarget(Guid TicketId, string Reference, string CollegeUai, string ExternalId)
{
    public static DocumentTarget Of(TicketRouted routed, string externalId) =>
        new(routed.TicketId, routed.Reference, routed.Ticket.CollegeUai, externalId);
}

/// <summary>What the tool did with an upload it answered.</summary>
public abstract record DocumentOutcome
{
    private DocumentOutcome()
    {
    }

    /// <summary>The tool holds the file as document <paramref name="DocumentId"/>, linked to the ticket.</summary>
    public sealed record Added(string DocumentId) : DocumentOutcome;

    /// <summary>The tool refused the file for good (type, size, rights): sending it again cannot help.</summary>
    /// <param name="Reason">Why, in French, for the collège (<see cref="DocumentRefusal"/>).</param>
    /// <param name="Detail">The tool's own words, for the log and the ledger.</param>
    public sealed record Refused(string Reason, string Detail) : DocumentOutcome;
}

/// <summary>How one tool holds a ticket's files: GLPI's Document, iTop's Attachment.</summary>
public interface IDocumentTool
{
    /// <summary>One of <see cref="ExternalTools"/>: the tool as messages name it.</summary>
    string Tool { get; }

    /// <summary>The tool's name as people write it, for the logs and the reasons.</summary>
    string DisplayName { get; }

    /// <summary>
    /// After an upload whose answer was lost: the document it may have created for
    /// <paramref name="attachment"/> on the ticket, or null. <paramref name="claimed"/> are documents
    /// the ledger already gave to the ticket's other files.
    /// </summary>
    Task<string?> FindAsync(DocumentTarget target, AttachmentRef attachment, IReadOnlySet<string> claimed, CancellationToken cancellationToken);

    /// <summary>
    /// Uploads the file and links it to the ticket. A refusal comes back as <see cref="DocumentOutcome.Refused"/>;
    /// a failure whose outcome is uncertain or temporary throws.
    /// </summary>
    Task<DocumentOutcome> AddAsync(DocumentTarget target, AttachmentRef attachment, byte[] content, CancellationToken cancellationToken);
}

/// <summary>
/// Adds a ticket's files (those sent with it, those of a comment) to the tool's ticket, each once,
/// whatever the redeliveries, timeouts and restarts (ADR 11):
/// <list type="number">
/// <item>record the file (a file already sent, refused or missing is left alone);</item>
/// <item>after an upload whose outcome is unknown, look the document up in the tool;</item>
/// <item>otherwise read the bytes from intake (checked against size and SHA-256), commit the intent, upload;</item>
/// <item>record the tool's document id, or its refusal.</item>
/// </list>
/// A file refused, or missing in intake, is recorded together with
/// <see cref="TicketAttachmentNotDelivered"/> (intake shows it to the collège), and the next file
/// goes on: the ticket stays forwarded. Anything else throws, and the message is retried; the files
/// already sent are not sent again.
/// </summary>
public sealed partial class DocumentSender(
    DocumentLedger ledger,
    AttachmentSource source,
    IDocumentTool tool,
    TimeProvider clock,
    ILogger<DocumentSender> logger)
{
    public async Task SendAsync(DocumentTarget target, IReadOnlyList<AttachmentRef>? attachments, CancellationToken cancellationToken)
    {
        if (attachments is null || attachments.Count == 0)
        {
            return;
        }

        foreach (var attachment in attachments.DistinctBy(attachment => attachment.Id))
        {
            await SendOneAsync(target, attachment, cancellationToken);
        }
    }

    private async Task SendOneAsync(DocumentTarget target, AttachmentRef attachment, CancellationToken cancellationToken)
    {
        var entry = await ledger.BeginAsync(target.TicketId, attachment, cancellationToken);
        if (SentDocumentState.IsSettled(entry.State))
        {
            return;
        }

        if (entry.State == SentDocumentState.Posting)
        {
            var claimed = await ledger.ClaimedByOthersAsync(target.TicketId, attachment.Id, cancellationToken);
            if (await tool.FindAsync(target, attachment, claimed, cancellationToken) is { } found)
            {
                await ledger.MarkSentAsync(attachment.Id, found, cancellationToken);
                LogFoundFromEarlierAttempt(attachment.Id, target.Reference, tool.DisplayName, found);
                return;
            }
        }

        var content = await source.DownloadAsync(target.TicketId, attachment, cancellationToken);
        if (content is null)
        {
            if (await ledger.MarkMissingAsync(NotDelivered(target, attachment, DocumentRefusal.Missing), "Intake n'a pas ce fichier (HTTP 404).", cancellationToken))
            {
                LogMissing(attachment.Id, target.Reference);
            }

            return;
        }

        await ledger.MarkPostingAsync(attachment.Id, cancellationToken);
        switch (await tool.AddAsync(target, attachment, content, cancellationToken))
        {
            case DocumentOutcome.Added added:
                await ledger.MarkSentAsync(attachment.Id, added.DocumentId, cancellationToken);
                LogAdded(attachment.Id, target.Reference, tool.DisplayName, added.DocumentId, attachment.Size);
                break;
            case DocumentOutcome.Refused refused:
                if (await ledger.MarkRefusedAsync(NotDelivered(target, attachment, refused.Reason), refused.Detail, cancellationToken))
                {
                    LogRefused(tool.DisplayName, attachment.Id, target.Reference, refused.Detail);
                }

                break;
        }
    }

    private TicketAttachmentNotDelivered NotDelivered(DocumentTarget target, AttachmentRef attachment, string reason) =>
        new(target.TicketId, target.Reference, attachment.Id, attachment.FileName, tool.Tool, reason, clock.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Information, Message = "Attachment {AttachmentId} of ticket {Reference} added to {Tool} as document {DocumentId} ({Size} bytes)")]
    private partial void LogAdded(Guid attachmentId, string reference, string tool, string documentId, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "Attachment {AttachmentId} of ticket {Reference} was added to {Tool} as document {DocumentId} by an earlier attempt; not sending it again")]
    private partial void LogFoundFromEarlierAttempt(Guid attachmentId, string reference, string tool, string documentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tool} refused attachment {AttachmentId} of ticket {Reference}; the ticket stays forwarded without it, intake is told: {Detail}")]
    private partial void LogRefused(string tool, Guid attachmentId, string reference, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment {AttachmentId} of ticket {Reference} is not in intake; skipped, intake is told")]
    private partial void LogMissing(Guid attachmentId, string reference);
}
