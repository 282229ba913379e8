using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Shared.Attachments;

/// <summary>States of a row of <c>sent_documents</c>.</summary>
public static class SentDocumentState
{
    /// <summary>Recorded; nothing was sent to the tool yet.</summary>
    public const string Pending = "pending";

    /// <summary>An upload started; the tool may or may not hold the document.</summary>
    public const string Posting = "posting";

    /// <summary>The tool holds it; <c>external_document_id</c> says which.</summary>
    public const string Sent = "sent";

    /// <summary>The tool refused it (type, size, rights): never sent again.</summary>
    public const string Refused = "refused";

    /// <summary>Intake has no such file: nothing to send.</summary>
    public const string Missing = "missing";

    public static bool IsSettled(string state) => state is Sent or Refused or Missing;
}

/// <summary>What the ledger knew of a file when the connector came to it.</summary>
/// <param name="State">One of <see cref="SentDocumentState"/>.</param>
/// <param name="ExternalDocumentId">The tool's document, once sent.</param>
public sealed record SentDocument(string State, string? ExternalDocumentId);

/// <summary>
/// The connector's memory of which of a ticket's files its tool holds (<c>sent_documents</c>, one
/// row per attachment id, the same table in every connector's database). As for tickets (ADR 9), the
/// upload's intent is committed before the tool is called, so that after an upload whose answer was
/// lost the connector looks the document up instead of sending it twice. A file that will never
/// reach the tool (refused, missing) is settled together with the
/// <see cref="TicketAttachmentNotDelivered"/> that tells intake, in one transaction with the outbox (ADR 1):
/// once per file, whatever the redeliveries.
/// </summary>
public sealed class DocumentLedger(IDbConnectionFactory connections, UnitOfWork units, IOutbox outbox, TimeProvider clock)
{
    private const string InsertSql = """
        INSERT INTO sent_documents (attachment_id, ticket_id, file_name, state, attempts, created_at)
        SELECT @AttachmentId, @TicketId, @FileName, 'pending', 0, @Now
        WHERE NOT EXISTS (SELECT 1 FROM sent_documents WHERE attachment_id = @AttachmentId)
        """;

    private const string SelectSql = """
        SELECT state AS State, external_document_id AS ExternalDocumentId
        FROM sent_documents WHERE attachment_id = @AttachmentId
        """;

    private const string MarkPostingSql = """
        UPDATE sent_documents SET state = 'posting', attempts = attempts + 1
        WHERE attachment_id = @AttachmentId AND state IN ('pending', 'posting')
        """;

    private const string MarkSentSql = """
        UPDATE sent_documents SET state = 'sent', external_document_id = @ExternalDocumentId, last_error = NULL, sent_at = @Now
        WHERE attachment_id = @AttachmentId AND state IN ('pending', 'posting')
        """;

    private const string MarkUnsentSql = """
        UPDATE sent_documents SET state = @State, last_error = @Error
        WHERE attachment_id = @AttachmentId AND state IN ('pending', 'posting')
        """;

    private const string ClaimedSql = """
        SELECT external_document_id FROM sent_documents
        WHERE ticket_id = @TicketId AND attachment_id <> @AttachmentId AND external_document_id IS NOT NULL
        """;

    /// <summary>Records the file (once) and says where it stands.</summary>
    public async Task<SentDocument> BeginAsync(Guid ticketId, AttachmentRef attachment, CancellationToken cancellationToken)
    {
        var args = new
        {
            AttachmentId = attachment.Id,
            TicketId = ticketId,
            FileName = attachment.FileName.Length <= 255 ? attachment.FileName : attachment.FileName[..255],
            Now = clock.GetUtcNow(),
        };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, args, cancellationToken: cancellationToken));
        return await connection.QuerySingleAsync<SentDocument>(new CommandDefinition(SelectSql, args, cancellationToken: cancellationToken));
    }

    /// <summary>Commits, before the upload, that one is starting: its outcome is uncertain until recorded.</summary>
    public Task MarkPostingAsync(Guid attachmentId, CancellationToken cancellationToken) =>
        ExecuteAsync(MarkPostingSql, new { AttachmentId = attachmentId }, cancellationToken);

    public Task MarkSentAsync(Guid attachmentId, string externalDocumentId, CancellationToken cancellationToken) =>
        ExecuteAsync(MarkSentSql, new { AttachmentId = attachmentId, ExternalDocumentId = externalDocumentId, Now = clock.GetUtcNow() }, cancellationToken);

    /// <summary>
    /// Records that the tool refused the file for good, with <paramref name="detail"/> (the tool's
    /// words, for the operators), and enqueues <paramref name="notice"/> in the same transaction;
    /// false, and no message, when the file was already settled.
    /// </summary>
    public Task<bool> MarkRefusedAsync(TicketAttachmentNotDelivered notice, string detail, CancellationToken cancellationToken) =>
        SettleUnsentAsync(SentDocumentState.Refused, notice, detail, cancellationToken);

    /// <summary>As <see cref="MarkRefusedAsync"/>, for a file intake does not have.</summary>
    public Task<bool> MarkMissingAsync(TicketAttachmentNotDelivered notice, string detail, CancellationToken cancellationToken) =>
        SettleUnsentAsync(SentDocumentState.Missing, notice, detail, cancellationToken);

    /// <summary>The tool's documents the ticket's other files are recorded as: a lookup must not take one of them for this file.</summary>
    public async Task<IReadOnlySet<string>> ClaimedByOthersAsync(Guid ticketId, Guid attachmentId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            ClaimedSql, new { TicketId = ticketId, AttachmentId = attachmentId }, cancellationToken: cancellationToken));
        return ids.ToHashSet(StringComparer.Ordinal);
    }

    private async Task<bool> SettleUnsentAsync(string state, TicketAttachmentNotDelivered notice, string detail, CancellationToken cancellationToken)
    {
        var args = new { notice.AttachmentId, State = state, Error = Truncate(detail) };
        return await units.RunAsync(async () =>
        {
            var settled = await UnitOfWork.Connection.ExecuteAsync(
                new CommandDefinition(MarkUnsentSql, args, UnitOfWork.Current, cancellationToken: cancellationToken)) > 0;
            if (settled)
            {
                await outbox.EnqueueAsync(notice, cancellationToken);
            }

            return settled;
        }, cancellationToken);
    }

    private async Task ExecuteAsync(string sql, object args, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: cancellationToken));
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000];
}
