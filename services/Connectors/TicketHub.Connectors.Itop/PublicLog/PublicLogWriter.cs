using System.Data.Common;
using Dapper;
using TicketHub.Connectors.Itop.Itop;

namespace TicketHub.Connectors.Itop.PublicLog;

/// <summary>
/// Writes the hub's own entries (plain text) in a request's public log and records which entry each
/// one became, so that the sync does not bring them back to the hub as technicians' replies. Call
/// under <see cref="PublicLogGate"/>, in the transaction that records the message as handled.
/// </summary>
internal sealed class PublicLogWriter(ItopClient itop, TimeProvider clock)
{
    private const string InsertHubEntrySql = """
        INSERT INTO hub_log_entries (ticket_id, entry_index, user_id, written_at)
        SELECT @TicketId, @EntryIndex, @UserId, @Now
        WHERE NOT EXISTS (SELECT 1 FROM hub_log_entries WHERE ticket_id = @TicketId AND entry_index = @EntryIndex)
        """;

    /// <summary>Appends <paramref name="message"/> to the public log of iTop request <paramref name="itopId"/>.</summary>
    /// <returns>The request as iTop answered, its log included.</returns>
    public async Task<ItopObject> WriteAsync(DbTransaction transaction, Guid ticketId, int itopId, string message, string comment, CancellationToken cancellationToken)
    {
        var updated = await itop.AddPublicLogEntryAsync(itopId, message, comment, cancellationToken);
        var entries = updated.Fields.PublicLog?.Entries ?? [];
        // The newest entry with this text is the hub's (iTop keeps text entries as written; a
        // technician writing the very same words in the same second is not a case worth more).
        var index = entries.FindLastIndex(entry => SameText(entry.Message, message));
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

    private static bool SameText(string? written, string sent) =>
        string.Equals(written?.ReplaceLineEndings("\n").Trim(), sent.ReplaceLineEndings("\n").Trim(), StringComparison.Ordinal);
}
