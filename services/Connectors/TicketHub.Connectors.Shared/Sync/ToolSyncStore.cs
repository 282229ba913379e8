using Dapper;
using TicketHub.Connectors.Shared.Delivery;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Shared.Sync;

/// <summary>A ticket the hub delivered to the tool and still follows (not re-routed elsewhere).</summary>
internal sealed record FollowedTicket(Guid TicketId, string Reference, string ExternalId, string? ToolStatus, DateTimeOffset? ToolUpdatedAt);

/// <summary>
/// What the http mode's sync last saw of each ticket (<c>external_tickets</c>' <c>tool_status</c> and
/// <c>tool_updated_at</c>), moved in the transaction that reports the change.
/// </summary>
internal sealed class ToolSyncStore(IDbConnectionFactory connections, TimeProvider clock) : ISyncStart
{
    private const string CountFollowedSql = "SELECT COUNT(*) FROM external_tickets WHERE state = 'created' AND moved_at IS NULL";

    private const string SelectFollowedSql = """
        SELECT ticket_id AS TicketId, reference AS Reference, external_id AS ExternalId,
               tool_status AS ToolStatus, tool_updated_at AS ToolUpdatedAt
        FROM external_tickets WHERE state = 'created' AND moved_at IS NULL AND external_id = @ExternalId
        """;

    /// <summary>
    /// The sync's starting point, written when the ticket is created: intake learns "forwarded" from
    /// TicketForwarded, so the tool's first status is only reported when it differs from the one it
    /// had at creation.
    /// </summary>
    private const string StartSql = "UPDATE external_tickets SET tool_status = @ToolStatus, tool_updated_at = @ToolUpdatedAt WHERE ticket_id = @TicketId";

    private const string UpdateSyncStateSql = """
        UPDATE external_tickets SET tool_status = @ToolStatus, tool_updated_at = @ToolUpdatedAt, updated_at = @Now
        WHERE ticket_id = @TicketId
        """;

    private const string SelectNeverSeenSql = """
        SELECT external_id FROM external_tickets WHERE state = 'created' AND moved_at IS NULL AND tool_status IS NULL AND external_id IS NOT NULL
        ORDER BY created_at
        """;

    /// <summary>
    /// The followed tickets the sync has seen nothing of: found in the tool after an attempt that died
    /// before recording them (their changes may be older than the cursor). Each is read on its own.
    /// </summary>
    public async Task<IReadOnlyList<string>> NeverSeenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(SelectNeverSeenSql, cancellationToken: cancellationToken))];
    }

    /// <summary>How many tickets the sync follows: with none, it need not call the tool.</summary>
    public async Task<int> CountFollowedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountFollowedSql, cancellationToken: cancellationToken));
    }

    /// <summary>The followed ticket the tool numbers <paramref name="externalId"/>, or null.</summary>
    public async Task<FollowedTicket?> FindFollowedAsync(string externalId, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var row = await transaction.Connection!.QuerySingleOrDefaultAsync<FollowedRow>(
            new CommandDefinition(SelectFollowedSql, new { ExternalId = externalId }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : new FollowedTicket(row.TicketId, row.Reference, row.ExternalId, row.ToolStatus, row.ToolUpdatedAt);
    }

    /// <summary>What the tool said of the ticket at creation, written in the ledger's transaction that marks it created.</summary>
    public Task StartAsync(Guid ticketId, DeliveryOutcome.Created created, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(
            StartSql,
            new { TicketId = ticketId, created.ToolStatus, created.ToolUpdatedAt },
            UnitOfWork.Current,
            cancellationToken: cancellationToken));

    /// <summary>What the sync saw of the ticket last, moved in the transaction that reports it.</summary>
    public Task UpdateSyncStateAsync(Guid ticketId, string toolStatus, DateTimeOffset toolUpdatedAt, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(
            UpdateSyncStateSql,
            new { TicketId = ticketId, ToolStatus = toolStatus, ToolUpdatedAt = toolUpdatedAt, Now = clock.GetUtcNow() },
            UnitOfWork.Current,
            cancellationToken: cancellationToken));

    private sealed class FollowedRow
    {
        public Guid TicketId { get; init; }

        public string Reference { get; init; } = "";

        public string ExternalId { get; init; } = "";

        public string? ToolStatus { get; init; }

        public DateTimeOffset? ToolUpdatedAt { get; init; }
    }
}
