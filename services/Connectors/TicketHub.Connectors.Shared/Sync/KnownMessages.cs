using System.Data.Common;
using Dapper;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Shared.Sync;

/// <summary>
/// Messages of the tool's tickets that the hub must not report: those it already reported, and those
/// it wrote itself (the collège's comments, re-route notes), so nothing is echoed back.
/// </summary>
internal sealed class KnownMessages(TimeProvider clock)
{
    public const string FromTool = "tool";

    public const string FromHub = "hub";

    private const string InsertSql = """
        INSERT INTO known_messages (ticket_id, message_id, origin, seen_at)
        SELECT @TicketId, @MessageId, @Origin, @Now
        WHERE NOT EXISTS (SELECT 1 FROM known_messages WHERE ticket_id = @TicketId AND message_id = @MessageId)
        """;

    /// <summary>Records <paramref name="messageId"/>; false when it was already known.</summary>
    public async Task<bool> RecordAsync(Guid ticketId, string messageId, string origin, CancellationToken cancellationToken) =>
        await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new { TicketId = ticketId, MessageId = messageId, Origin = origin, Now = clock.GetUtcNow() },
            UnitOfWork.Current,
            cancellationToken: cancellationToken)) > 0;
}

/// <summary>Where the next read of changed tickets starts.</summary>
internal sealed class SyncCursor(TimeProvider clock)
{
    private const string SelectSql = "SELECT updated_since AS UpdatedSince, updated_at AS MovedAt FROM sync_cursor WHERE id = 1";

    private const string EarliestSql = "SELECT MIN(created_at) FROM external_tickets WHERE state = 'created' AND moved_at IS NULL";

    private const string UpdateSql = """
        UPDATE sync_cursor SET updated_since = @Since, updated_at = @Now
        WHERE id = 1 AND (updated_since IS NULL OR updated_since < @Since)
        """;

    /// <summary>
    /// The stored cursor and when (by the hub's clock) it last moved; before the first read, the
    /// creation of the oldest followed ticket.
    /// </summary>
    public async Task<(DateTimeOffset Since, DateTimeOffset? MovedAt)?> ReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(SelectSql, cancellationToken: cancellationToken));
        if (row.UpdatedSince is { } since)
        {
            return (since, row.MovedAt);
        }

        var earliest = await connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(new CommandDefinition(EarliestSql, cancellationToken: cancellationToken));
        return earliest is { } start ? (start, null) : null;
    }

    /// <summary>Moves the cursor forward to <paramref name="since"/>, never back.</summary>
    public Task MoveAsync(DbConnection connection, DateTimeOffset since, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(UpdateSql, new { Since = since, Now = clock.GetUtcNow() }, cancellationToken: cancellationToken));

    private sealed class Row
    {
        public DateTimeOffset? UpdatedSince { get; init; }

        public DateTimeOffset? MovedAt { get; init; }
    }
}
