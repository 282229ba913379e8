using System.Data.Common;
using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>States of a row of <c>external_tickets</c>.</summary>
internal static class ExternalTicketState
{
    /// <summary>An attempt started; iTop may or may not have the request.</summary>
    public const string Creating = "creating";

    /// <summary>iTop has the request; <c>itop_id</c> is its key.</summary>
    public const string Created = "created";

    /// <summary>iTop refused it; a later TicketRouted for the same ticket tries again.</summary>
    public const string Failed = "failed";
}

/// <summary>What the store knew of a ticket when an attempt started.</summary>
/// <param name="State">State before this attempt.</param>
/// <param name="IsRetry">An earlier attempt exists: iTop may already hold the request.</param>
/// <param name="ItopId">iTop key when <paramref name="State"/> is created.</param>
internal sealed record ForwardingAttempt(string State, bool IsRetry, int? ItopId);

/// <summary>A request the hub created in iTop and still follows (not re-routed elsewhere).</summary>
internal sealed record FollowedTicket(Guid TicketId, string Reference, int ItopId);

/// <summary>What the sync starts from for a request: as created, or unknown when found by a lookup.</summary>
/// <param name="Status">iTop status at creation; null when the sync must publish the current one.</param>
/// <param name="LastUpdate">iTop's last_update at creation; null when the sync has never read the request.</param>
internal sealed record SyncStart(string? Status, string? LastUpdate);

/// <summary>
/// The connector's memory of which hub tickets exist in iTop (<c>external_tickets</c>). It is what
/// makes creation idempotent: the intent is committed before iTop is called, and the result is
/// committed together with the event that announces it.
/// </summary>
internal sealed class ExternalTicketStore(IDbConnectionFactory connections, IOutbox outbox, TimeProvider clock)
{
    private const string InsertIntentSql = """
        INSERT INTO external_tickets (ticket_id, reference, itop_id, state, attempts, log_entries, created_at, updated_at)
        SELECT @TicketId, @Reference, NULL, 'creating', 0, 0, @Now, @Now
        WHERE NOT EXISTS (SELECT 1 FROM external_tickets WHERE ticket_id = @TicketId)
        """;

    private const string SelectStateSql = "SELECT state AS State, itop_id AS ItopId FROM external_tickets WHERE ticket_id = @TicketId";

    private const string BeginAttemptSql = """
        UPDATE external_tickets SET state = 'creating', attempts = attempts + 1, updated_at = @Now
        WHERE ticket_id = @TicketId AND state <> 'created'
        """;

    private const string MarkCreatedSql = """
        UPDATE external_tickets
        SET state = 'created', itop_id = @ItopId, last_error = NULL, itop_status = @Status, itop_last_update = @LastUpdate,
            log_entries = 0, closed_at = NULL, updated_at = @Now
        WHERE ticket_id = @TicketId
        """;

    private const string MarkFailedSql = """
        UPDATE external_tickets SET state = 'failed', last_error = @Error, updated_at = @Now
        WHERE ticket_id = @TicketId AND state <> 'created'
        """;

    private const string SelectFollowedSql = """
        SELECT ticket_id AS TicketId, reference AS Reference, itop_id AS ItopId FROM external_tickets
        WHERE ticket_id = @TicketId AND state = 'created' AND moved_at IS NULL
        """;

    private const string SelectMovedSql = "SELECT moved_at AS MovedAt FROM external_tickets WHERE ticket_id = @TicketId";

    private const string MarkMovedSql = "UPDATE external_tickets SET moved_at = @Now, updated_at = @Now WHERE ticket_id = @TicketId";

    private const string ClearMovedSql = "UPDATE external_tickets SET moved_at = NULL, updated_at = @Now WHERE ticket_id = @TicketId";

    /// <summary>Records, in its own committed transaction, that an attempt is starting.</summary>
    public async Task<ForwardingAttempt> BeginAttemptAsync(Guid ticketId, string reference, CancellationToken cancellationToken)
    {
        var args = new { TicketId = ticketId, Reference = reference, Now = clock.GetUtcNow() };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertIntentSql, args, transaction, cancellationToken: cancellationToken));
        var row = await connection.QuerySingleAsync<StateRow>(new CommandDefinition(SelectStateSql, args, transaction, cancellationToken: cancellationToken));
        if (row.State != ExternalTicketState.Created)
        {
            await connection.ExecuteAsync(new CommandDefinition(BeginAttemptSql, args, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return new ForwardingAttempt(row.State, IsRetry: inserted == 0, row.ItopId is { } id ? (int)id : null);
    }

    /// <summary>Marks the ticket created and enqueues <paramref name="forwarded"/>, atomically.</summary>
    public async Task MarkCreatedAsync(TicketForwarded forwarded, int itopId, SyncStart start, CancellationToken cancellationToken)
    {
        var args = new { forwarded.TicketId, ItopId = itopId, start.Status, start.LastUpdate, Now = clock.GetUtcNow() };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(MarkCreatedSql, args, transaction, cancellationToken: cancellationToken));
        await outbox.EnqueueAsync(transaction, forwarded, cancellationToken);
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

    /// <summary>The iTop request of <paramref name="ticketId"/>, if the hub created it and did not send the ticket elsewhere since.</summary>
    public static async Task<FollowedTicket?> FindFollowedAsync(DbTransaction transaction, Guid ticketId, CancellationToken cancellationToken)
    {
        var row = await transaction.Connection!.QuerySingleOrDefaultAsync<FollowedRow>(
            new CommandDefinition(SelectFollowedSql, new { TicketId = ticketId }, transaction, cancellationToken: cancellationToken));
        return row?.ItopId is { } id ? new FollowedTicket(row.TicketId, row.Reference, (int)id) : null;
    }

    /// <summary>Whether a note told the iTop request that the hub had sent the ticket elsewhere.</summary>
    public async Task<bool> WasMovedAwayAsync(Guid ticketId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MovedRow>(
            new CommandDefinition(SelectMovedSql, new { TicketId = ticketId }, cancellationToken: cancellationToken));
        return row?.MovedAt is not null;
    }

    /// <summary>The ticket went elsewhere: the sync stops following its iTop request.</summary>
    public async Task MarkMovedAsync(DbTransaction transaction, Guid ticketId, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(
            new CommandDefinition(MarkMovedSql, new { TicketId = ticketId, Now = clock.GetUtcNow() }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// The ticket was routed back to iTop by hand: the existing request is the hub's again (the sync
    /// follows it anew), and <paramref name="forwarded"/> tells intake so, in <paramref name="transaction"/>.
    /// </summary>
    public async Task ReclaimAsync(DbTransaction transaction, TicketForwarded forwarded, CancellationToken cancellationToken)
    {
        await transaction.Connection!.ExecuteAsync(
            new CommandDefinition(ClearMovedSql, new { forwarded.TicketId, Now = clock.GetUtcNow() }, transaction, cancellationToken: cancellationToken));
        await outbox.EnqueueAsync(transaction, forwarded, cancellationToken);
    }

    private sealed class MovedRow
    {
        public DateTimeOffset? MovedAt { get; init; }
    }

    private sealed class StateRow
    {
        public string State { get; init; } = "";

        public long? ItopId { get; init; }
    }

    private sealed class FollowedRow
    {
        public Guid TicketId { get; init; }

        public string Reference { get; init; } = "";

        public long? ItopId { get; init; }
    }
}
