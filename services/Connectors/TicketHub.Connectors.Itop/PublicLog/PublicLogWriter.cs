using Dapper;
using TicketHub.Connectors.Itop.Forwarding;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Itop.Sync;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Itop.PublicLog;

/// <summary>
/// Writes the hub's own entries in a ticket's public log (the hub's plain text as HTML, through
/// <c>ToolHtml.FromPlainText</c>, <c>format: html</c>) and records which entry each one became, so that the sync does not bring them back to the hub as technicians' replies. Call
/// under <see cref="PublicLogGate"/>, in the transaction that records the message as handled.
/// </summary>
internal sealed class PublicLogWriter(ItopClient itop, TimeProvider clock)
{
    private const string InsertHubEntrySql = """
        INSERT INTO hub_log_entries (ticket_id, entry_index, user_id, written_at)
        SELECT @TicketId, @EntryIndex, @UserId, @Now
        WHERE NOT EXISTS (SELECT 1 FROM hub_log_entries WHERE ticket_id = @TicketId AND entry_index = @EntryIndex)
        """;

    /// <summary>Appends <paramref name="message"/> (plain text) to the public log of <paramref name="ticket"/>.</summary>
    /// <returns>The ticket as iTop answered, its log included.</returns>
    public async Task<ItopObject> WriteAsync(Guid ticketId, ItopTicketRef ticket, string message, string comment, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var updated = await itop.AddPublicLogEntryAsync(ticket, message, comment, cancellationToken);
        var entries = updated.Fields.PublicLog?.Entries ?? [];
        // The newest entry with this text, read back as the sync reads it, is the hub's (a technician
        // writing the very same words in the same second is not a case worth more).
        var index = entries.FindLastIndex(entry => SameText(RequestChangeReader.TextOf(entry), message));
        if (index < 0)
        {
            index = entries.Count - 1;
        }

        if (index >= 0)
        {
            await transaction.Connection!.ExecuteAsync(new CommandDefinition(InsertHubEntrySql, new
            {
                TicketId = ticketId,
                EntryIndex = index,
                entries[index].UserId,
                Now = clock.GetUtcNow(),
            }, transaction, cancellationToken: cancellationToken));
        }

        return updated;
    }

    /// <summary>The same words, whatever iTop did to the spaces and blank lines.</summary>
    private static bool SameText(string written, string sent) =>
        string.Equals(Words(written), Words(sent), StringComparison.Ordinal);

    private static string Words(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
