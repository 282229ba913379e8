using System.Data.Common;
using Dapper;
using TicketHub.Connectors.Itop.Forwarding;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Itop.Sync;

/// <summary>What the sync last saw of a ticket the hub follows in iTop.</summary>
/// <param name="Class">The ticket's class: UserRequest or Incident.</param>
/// <param name="Status">iTop status last seen; null when it must be published whatever it is.</param>
/// <param name="LastUpdate">iTop's last_update last processed (its local time); null when never read.</param>
/// <param name="LogEntries">Public log entries already handled (published, or the hub's own).</param>
internal sealed record FollowedRequest(Guid TicketId, string Reference, string Class, int ItopId, string? Status, string? LastUpdate, int LogEntries);

/// <summary>What the sync starts from for a ticket: as created, or unknown when found by a lookup.</summary>
/// <param name="Class">The class the ticket was created in (kept in <c>itop_class</c>).</param>
/// <param name="Status">iTop status at creation; null when the sync must publish the current one.</param>
/// <param name="LastUpdate">iTop's last_update at creation; null when the sync has never read the request.</param>
internal sealed record SyncStart(string Class, string? Status, string? LastUpdate);

/// <summary>What a poll learnt of one request: its new state, and whether it left the hub's hands (closed).</summary>
internal sealed record RequestState(Guid TicketId, string? Status, string? LastUpdate, int LogEntries, bool Closed);

/// <summary>
/// The sync's memory (<c>external_tickets</c>' sync columns, <c>hub_log_entries</c>,
/// <c>sync_cursor</c>). The cursor moves in the transaction that enqueues what it read.
/// </summary>
internal sealed class SyncStore(IDbConnectionFactory connections, TimeProvider clock)
{
    private const string SelectFollowedSql = """
        SELECT ticket_id AS TicketId, reference AS Reference, itop_class AS Class, external_id AS ExternalId, itop_status AS Status,
               itop_last_update AS LastUpdate, log_entries AS LogEntries
        FROM external_tickets
        WHERE state = 'created' AND moved_at IS NULL AND closed_at IS NULL AND external_id IS NOT NULL
        """;

    private const string SelectCursorSql = "SELECT last_update AS LastUpdate FROM sync_cursor WHERE id = 1";

    private const string UpdateCursorSql = "UPDATE sync_cursor SET last_update = @LastUpdate, updated_at = @Now WHERE id = 1";

    private const string SelectHubEntriesSql = "SELECT entry_index FROM hub_log_entries WHERE ticket_id = @TicketId";

    private const string SelectHubUsersSql = "SELECT DISTINCT user_id FROM hub_log_entries WHERE user_id IS NOT NULL";

    private const string StartSql = """
        UPDATE external_tickets SET itop_class = @Class, itop_status = @Status, itop_last_update = @LastUpdate, log_entries = 0, closed_at = NULL
        WHERE ticket_id = @TicketId
        """;

    private const string UpdateRequestSql = """
        UPDATE external_tickets
        SET itop_status = @Status, itop_last_update = @LastUpdate, log_entries = @LogEntries, closed_at = @ClosedAt, updated_at = @Now
        WHERE ticket_id = @TicketId
        """;

    /// <summary>The requests to poll: created by the hub, still the hub's, not closed in iTop.</summary>
    public async Task<IReadOnlyList<FollowedRequest>> FollowedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await FollowedAsync(connection, null, cancellationToken);
    }

    public static async Task<IReadOnlyList<FollowedRequest>> FollowedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<FollowedRow>(new CommandDefinition(SelectFollowedSql, transaction: transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(row => new FollowedRequest(row.TicketId, row.Reference, row.Class, ItopKeys.Parse(row.ExternalId), row.Status, row.LastUpdate, (int)row.LogEntries))];
    }

    public async Task<DateTimeOffset?> CursorAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // Read into an object: the date handler is not given a NULL when it sets a property.
        var row = await connection.QuerySingleOrDefaultAsync<CursorRow>(new CommandDefinition(SelectCursorSql, cancellationToken: cancellationToken));
        return row?.LastUpdate;
    }

    /// <summary>Indexes of the public log entries of <paramref name="ticketId"/> that the hub wrote.</summary>
    public static async Task<IReadOnlySet<int>> HubEntriesAsync(Guid ticketId, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var indexes = await transaction.Connection!.QueryAsync<long>(
            new CommandDefinition(SelectHubEntriesSql, new { TicketId = ticketId }, transaction, cancellationToken: cancellationToken));
        return indexes.Select(index => (int)index).ToHashSet();
    }

    /// <summary>iTop user ids the hub's own entries were written under: the REST account.</summary>
    public static async Task<IReadOnlySet<string>> HubUsersAsync(CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var users = await transaction.Connection!.QueryAsync<string>(
            new CommandDefinition(SelectHubUsersSql, transaction: transaction, cancellationToken: cancellationToken));
        return users.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Where the sync starts from for a request just created (or found), in the ledger's transaction that marks it created.</summary>
    public static Task StartAsync(Guid ticketId, SyncStart start, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(
            StartSql, new { TicketId = ticketId, start.Class, start.Status, start.LastUpdate }, UnitOfWork.Current, cancellationToken: cancellationToken));

    public async Task SaveAsync(RequestState state, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var now = clock.GetUtcNow();
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(UpdateRequestSql, new
        {
            state.TicketId,
            state.Status,
            state.LastUpdate,
            state.LogEntries,
            ClosedAt = state.Closed ? now : (DateTimeOffset?)null,
            Now = now,
        }, transaction, cancellationToken: cancellationToken));
    }

    public async Task MoveCursorAsync(DateTimeOffset lastUpdate, CancellationToken cancellationToken) =>
        await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(
            UpdateCursorSql, new { LastUpdate = lastUpdate, Now = clock.GetUtcNow() }, UnitOfWork.Current, cancellationToken: cancellationToken));

    private sealed class CursorRow
    {
        public DateTimeOffset? LastUpdate { get; init; }
    }

    private sealed class FollowedRow
    {
        public Guid TicketId { get; init; }

        public string Reference { get; init; } = "";

        public string Class { get; init; } = "";

        public string ExternalId { get; init; } = "";

        public string? Status { get; init; }

        public string? LastUpdate { get; init; }

        public long LogEntries { get; init; }
    }
}
