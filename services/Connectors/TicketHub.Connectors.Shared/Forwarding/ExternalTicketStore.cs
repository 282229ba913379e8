using System.Data.Common;
using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Shared.Forwarding;

/// <summary>States of a row of <c>external_tickets</c>.</summary>
internal static class ExternalTicketState
{
    /// <summary>An attempt started; the tool may or may not have the ticket.</summary>
    public const string Creating = "creating";

    /// <summary>Manual mode: the relay queue asks an operator to enter the ticket; no number yet.</summary>
    public const string Relaying = "relaying";

    /// <summary>The tool has the ticket (or its mailbox accepted it); <c>external_id</c> says which.</summary>
    public const string Created = "created";

    /// <summary>The tool refused it; a later TicketRouted for the same ticket tries again.</summary>
    public const string Failed = "failed";
}

/// <summary>What the store knew of a ticket when an attempt started.</summary>
/// <param name="State">State before this attempt.</param>
/// <param name="IsRetry">An earlier attempt exists: the tool may already hold the ticket.</param>
/// <param name="ExternalId">The tool's id when <paramref name="State"/> is created.</param>
internal sealed record ForwardingAttempt(string State, bool IsRetry, string? ExternalId, string? ExternalUrl);

/// <summary>A ticket the hub delivered to the tool and still follows (not re-routed elsewhere).</summary>
internal sealed record FollowedTicket(Guid TicketId, string Reference, string ExternalId, string? ToolStatus, DateTimeOffset? ToolUpdatedAt);

/// <summary>
/// The connector's memory of which hub tickets exist in its tool (<c>external_tickets</c>). It is what
/// makes delivery idempotent: the intent is committed before the tool is called, and the result is
/// committed together with the event that announces it.
/// </summary>
internal sealed class ExternalTicketStore(IDbConnectionFactory connections, IOutbox outbox, TimeProvider clock)
{
    private const string InsertIntentSql = """
        INSERT INTO external_tickets (ticket_id, reference, external_id, state, attempts, created_at, updated_at)
        SELECT @TicketId, @Reference, NULL, 'creating', 0, @Now, @Now
        WHERE NOT EXISTS (SELECT 1 FROM external_tickets WHERE ticket_id = @TicketId)
        """;

    private const string SelectSql = """
        SELECT state AS State, external_id AS ExternalId, external_url AS ExternalUrl, moved_at AS MovedAt
        FROM external_tickets WHERE ticket_id = @TicketId
        """;

    private const string BeginAttemptSql = """
        UPDATE external_tickets SET state = 'creating', attempts = attempts + 1, updated_at = @Now
        WHERE ticket_id = @TicketId AND state NOT IN ('created', 'relaying')
        """;

    /// <summary>
    /// Also the sync's starting point: intake learns "forwarded" from TicketForwarded, so the tool's
    /// first status is only reported when it differs from the one it had at creation.
    /// </summary>
    private const string MarkCreatedSql = """
        UPDATE external_tickets
        SET state = 'created', external_id = @ExternalId, external_url = @ExternalUrl, last_error = NULL,
            tool_status = @ToolStatus, tool_updated_at = @ToolUpdatedAt, updated_at = @Now
        WHERE ticket_id = @TicketId AND state <> 'created'
        """;

    private const string MarkRelayingSql = """
        UPDATE external_tickets SET state = 'relaying', last_error = NULL, updated_at = @Now
        WHERE ticket_id = @TicketId AND state = 'creating'
        """;

    private const string MarkFailedSql = """
        UPDATE external_tickets SET state = 'failed', last_error = @Error, updated_at = @Now
        WHERE ticket_id = @TicketId AND state NOT IN ('created', 'relaying')
        """;

    private const string SelectFollowedSql = """
        SELECT ticket_id AS TicketId, reference AS Reference, external_id AS ExternalId,
               tool_status AS ToolStatus, tool_updated_at AS ToolUpdatedAt
        FROM external_tickets WHERE state = 'created' AND moved_at IS NULL AND external_id = @ExternalId
        """;

    private const string CountFollowedSql = "SELECT COUNT(*) FROM external_tickets WHERE state = 'created' AND moved_at IS NULL";

    private const string MarkMovedSql = "UPDATE external_tickets SET moved_at = @Now, updated_at = @Now WHERE ticket_id = @TicketId AND moved_at IS NULL";

    private const string ClearMovedSql = "UPDATE external_tickets SET moved_at = NULL, updated_at = @Now WHERE ticket_id = @TicketId";

    /// <summary>Records, in its own committed transaction, that an attempt is starting.</summary>
    public async Task<ForwardingAttempt> BeginAttemptAsync(Guid ticketId, string reference, CancellationToken cancellationToken)
    {
        var args = new { TicketId = ticketId, Reference = reference, Now = clock.GetUtcNow() };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertIntentSql, args, transaction, cancellationToken: cancellationToken));
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(SelectSql, args, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(BeginAttemptSql, args, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new ForwardingAttempt(row.State, IsRetry: inserted == 0, row.ExternalId, row.ExternalUrl);
    }

    /// <summary>
    /// Marks the ticket created and enqueues <paramref name="forwarded"/>, atomically; false (and no
    /// message) when it was already created, e.g. by an earlier confirmation of the same relay item.
    /// </summary>
    public async Task<bool> MarkCreatedAsync(TicketForwarded forwarded, string? toolStatus, DateTimeOffset? toolUpdatedAt, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var created = await MarkCreatedAsync(transaction, forwarded, toolStatus, toolUpdatedAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (created)
        {
            outbox.NotifyCommitted();
        }

        return created;
    }

    /// <inheritdoc cref="MarkCreatedAsync(TicketForwarded, string?, DateTimeOffset?, CancellationToken)"/>
    public async Task<bool> MarkCreatedAsync(DbTransaction transaction, TicketForwarded forwarded, string? toolStatus, DateTimeOffset? toolUpdatedAt, CancellationToken cancellationToken)
    {
        var args = new { forwarded.TicketId, forwarded.ExternalId, forwarded.ExternalUrl, ToolStatus = toolStatus, ToolUpdatedAt = toolUpdatedAt, Now = clock.GetUtcNow() };
        var changed = await transaction.Connection!.ExecuteAsync(new CommandDefinition(MarkCreatedSql, args, transaction, cancellationToken: cancellationToken));
        if (changed == 0)
        {
            return false;
        }

        await outbox.EnqueueAsync(transaction, forwarded, cancellationToken);
        return true;
    }

    /// <summary>Manual mode: marks the ticket waiting for an operator and enqueues <paramref name="request"/>, atomically.</summary>
    public async Task MarkRelayingAsync(RelayItemRequested request, CancellationToken cancellationToken)
    {
        var args = new { request.TicketId, Now = clock.GetUtcNow() };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(MarkRelayingSql, args, transaction, cancellationToken: cancellationToken)) > 0)
        {
            await outbox.EnqueueAsync(transaction, request, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.NotifyCommitted();
    }

    /// <summary>Marks the ticket refused and enqueues <paramref name="failed"/>, atomically.</summary>
    public async Task MarkFailedAsync(TicketForwardingFailed failed, CancellationToken cancellationToken)
    {
        var args = new { failed.TicketId, Error = failed.Reason.Length <= 2000 ? failed.Reason : failed.Reason[..2000], Now = clock.GetUtcNow() };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(MarkFailedSql, args, transaction, cancellationToken: cancellationToken));
        await outbox.EnqueueAsync(transaction, failed, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.NotifyCommitted();
    }

    /// <summary>The row of <paramref name="ticketId"/>, or null.</summary>
    public async Task<ExternalTicket?> FindAsync(DbTransaction transaction, Guid ticketId, CancellationToken cancellationToken)
    {
        var row = await transaction.Connection!.QuerySingleOrDefaultAsync<Row>(
            new CommandDefinition(SelectSql, new { TicketId = ticketId }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : new ExternalTicket(row.State, row.ExternalId, row.ExternalUrl, row.MovedAt is not null);
    }

    /// <summary>Records that the hub told the tool's ticket the request went elsewhere; false when it already had.</summary>
    public async Task<bool> MarkMovedAsync(DbTransaction transaction, Guid ticketId, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            MarkMovedSql, new { TicketId = ticketId, Now = clock.GetUtcNow() }, transaction, cancellationToken: cancellationToken)) > 0;

    /// <summary>The ticket is the hub's again in this tool (routed back by hand).</summary>
    public Task ClearMovedAsync(DbTransaction transaction, Guid ticketId, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            ClearMovedSql, new { TicketId = ticketId, Now = clock.GetUtcNow() }, transaction, cancellationToken: cancellationToken));

    /// <summary>The ticket routed back by hand is the hub's again; <paramref name="forwarded"/> tells intake, atomically.</summary>
    public async Task ReclaimAsync(TicketForwarded forwarded, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ClearMovedAsync(transaction, forwarded.TicketId, cancellationToken);
        await outbox.EnqueueAsync(transaction, forwarded, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.NotifyCommitted();
    }

    /// <summary>How many tickets the sync follows: with none, it need not call the tool.</summary>
    public async Task<int> CountFollowedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountFollowedSql, cancellationToken: cancellationToken));
    }

    /// <summary>The followed ticket the tool numbers <paramref name="externalId"/>, or null.</summary>
    public async Task<FollowedTicket?> FindFollowedAsync(DbTransaction transaction, string externalId, CancellationToken cancellationToken)
    {
        var row = await transaction.Connection!.QuerySingleOrDefaultAsync<FollowedRow>(
            new CommandDefinition(SelectFollowedSql, new { ExternalId = externalId }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : new FollowedTicket(row.TicketId, row.Reference, row.ExternalId, row.ToolStatus, row.ToolUpdatedAt);
    }

    private const string UpdateSyncStateSql = """
        UPDATE external_tickets SET tool_status = @ToolStatus, tool_updated_at = @ToolUpdatedAt, updated_at = @Now
        WHERE ticket_id = @TicketId
        """;

    /// <summary>What the sync saw of the ticket last, moved in the transaction that reports it.</summary>
    public Task UpdateSyncStateAsync(DbTransaction transaction, Guid ticketId, string toolStatus, DateTimeOffset toolUpdatedAt, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            UpdateSyncStateSql,
            new { TicketId = ticketId, ToolStatus = toolStatus, ToolUpdatedAt = toolUpdatedAt, Now = clock.GetUtcNow() },
            transaction,
            cancellationToken: cancellationToken));

    private sealed class FollowedRow
    {
        public Guid TicketId { get; init; }

        public string Reference { get; init; } = "";

        public string ExternalId { get; init; } = "";

        public string? ToolStatus { get; init; }

        public DateTimeOffset? ToolUpdatedAt { get; init; }
    }

    private sealed class Row
    {
        public string State { get; init; } = "";

        public string? ExternalId { get; init; }

        public string? ExternalUrl { get; init; }

        public DateTimeOffset? MovedAt { get; init; }
    }
}

/// <summary>What the connector knows of a hub ticket in its tool.</summary>
internal sealed record ExternalTicket(string State, string? ExternalId, string? ExternalUrl, bool Moved);
