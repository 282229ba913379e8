using System.Data.Common;
using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tickets;

/// <summary>
/// The files of a ticket that never reached its tool (<see cref="TicketAttachmentNotDelivered"/>):
/// kept in <c>undelivered_attachments</c>, one row per file and tool, and shown in the ticket's
/// timeline as <see cref="Kind"/>, so that nobody believes the file reached the technician.
/// </summary>
internal static class UndeliveredAttachments
{
    /// <summary>The timeline entry's kind.</summary>
    public const string Kind = "attachment-not-delivered";

    // Nothing for a ticket intake does not know; nothing twice for the same file and tool.
    private const string InsertSql = """
        INSERT INTO undelivered_attachments (attachment_id, tool, ticket_id, file_name, reason, at)
        SELECT @AttachmentId, @Tool, id, @FileName, @Reason, @At FROM tickets
        WHERE id = @TicketId
            AND NOT EXISTS (SELECT 1 FROM undelivered_attachments WHERE attachment_id = @AttachmentId AND tool = @Tool)
        """;

    private const string TouchTicketSql = "UPDATE tickets SET updated_at = @Now WHERE id = @TicketId";

    private const string SelectSql = """
        SELECT file_name, tool, reason, at FROM undelivered_attachments WHERE ticket_id = @Id ORDER BY at
        """;

    /// <summary>Records the file; false when the ticket is unknown or the file was already recorded for that tool.</summary>
    public static async Task<bool> RecordAsync(TicketAttachmentNotDelivered notice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            notice.AttachmentId,
            notice.Tool,
            notice.TicketId,
            FileName = Shorten(notice.FileName, 255),
            Reason = Shorten(notice.Reason.Trim().TrimEnd('.'), 500),
            notice.At,
        }, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(TouchTicketSql, new { notice.TicketId, Now = now }, transaction, cancellationToken: cancellationToken));
        return true;
    }

    /// <summary>The ticket's undelivered files as timeline entries.</summary>
    public static async Task<IEnumerable<TimelineEntry>> ReadAsync(DbConnection connection, DbTransaction? transaction, Guid ticketId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Row>(new CommandDefinition(SelectSql, new { Id = ticketId }, transaction, cancellationToken: cancellationToken)))
            .Select(row => new TimelineEntry(row.At, Kind, null, Text(row.FileName, row.Tool, row.Reason), null, null));

    /// <summary>
    /// « La pièce jointe « photo.jpg » n'a pas pu être transmise à l'infogérant du Département (GLPI) :
    /// fichier trop volumineux pour GLPI (3,1 Mo). Envoyez-la autrement au technicien. »
    /// </summary>
    public static string Text(string fileName, string tool, string reason) =>
        $"La pièce jointe « {fileName} » n'a pas pu être transmise {ToolNames.To(tool)} : {reason}. Envoyez-la autrement au technicien.";

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private sealed record Row(string FileName, string Tool, string Reason, DateTimeOffset At);
}
