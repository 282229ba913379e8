using System.Data.Common;
using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Shared.Forwarding;

/// <summary>States of a row of <c>external_tickets</c>.</summary>
public static class ExternalTicketState
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

/// <summary>What the ledger knew of a ticket when an attempt started.</summary>
/// <param name="State">State before this attempt.</param>
/// <param name="IsRetry">An earlier attempt exists: the tool may already hold the ticket.</param>
/// <param name="ExternalId">The tool's id when <paramref name="State"/> is created.</param>
/// <param name="ExternalUrl">The link intake was given with it, if any.</param>
/// <param name="FirstAttemptAt">
/// When the connector first tried to deliver the ticket: a ticket the tool holds under this
/// reference from before that (an earlier installation of the hub, whose references started again
/// from 1) is not this one.
/// </param>
public sealed record ForwardingAttempt(string State, bool IsRetry, string? ExternalId, string? ExternalUrl, DateTimeOffset FirstAttemptAt);

/// <summary>What the connector knows of a hub ticket in its tool.</summary>
public sealed record ExternalTicket(string State, string? ExternalId, string? ExternalUrl, bool Moved)
{
    /// <summary>The tool's id while the tool holds the ticket for the hub: created there and not re-routed elsewhere since.</summary>
    public string? HeldId => State == ExternalTicketState.Created && !Moved ? ExternalId : null;
}

/// <summary>
/// The connector's memory of which hub tickets exist in its tool (<c>external_tickets</c>), the same
/// for every connector (GLPI, iTop, PASS, Omère). It is what makes delivery idempotent: the intent
/// is committed before the tool is called, and the result is committed together with the event that
/// announces it. Its SQL names only the columns every connector's table has (<c>ticket_id</c>,
/// <c>reference</c>, <c>external_id</c>, <c>external_url</c>, <c>state</c>, <c>attempts</c>,
/// <c>last_error</c>, <c>moved_at</c>, <c>claimed_by</c>, <c>claimed_until</c>, <c>created_at</c>, <c>updated_at</c>); what a tool's sync
/// keeps beside them is written by the hook given to <see cref="MarkCreatedAsync"/>.
/// </summary>
/// <remarks>
/// One ticket at a time: within a process, MassTransit's partitioner; across the replicas of a
/// connector on a server database (issue 13), the attempt's claim on the ledger row (<c>claimed_by</c>
/// until <c>claimed_until</c>, <see cref="ClaimDuration"/>): a replica that receives a ticket another
/// one is delivering gets <see cref="TicketBeingDeliveredElsewhereException"/> and its message is retried
/// later, when the other has recorded the outcome or its claim has expired (it died: the next attempt
/// is a retry and looks in the tool first, as after any crash).
/// </remarks>
public sealed class DeliveryLedger(IDbConnectionFactory connections, UnitOfWork units, IOutbox outbox, DatabaseLeases replicas, TimeProvider clock)
{
    /// <summary>How long an attempt holds its ticket against the other replicas: longer than any delivery (calls, files, retries).</summary>
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(2);

    private const string InsertIntentSql = """
        INSERT INTO external_tickets (ticket_id, reference, external_id, state, attempts, created_at, updated_at)
        SELECT @TicketId, @Reference, NULL, 'creating', 0, @Now, @Now
        WHERE NOT EXISTS (SELECT 1 FROM external_tickets WHERE ticket_id = @TicketId)
        """;

    private const string SelectSql = """
        SELECT state AS State, external_id AS ExternalId, external_url AS ExternalUrl, moved_at AS MovedAt, created_at AS CreatedAt
        FROM external_tickets WHERE ticket_id = @TicketId
        """;

    // @Until is null on SQLite (one process: no claim).
    private const string BeginAttemptSql = """
        UPDATE external_tickets SET state = 'creating', attempts = attempts + 1, claimed_by = @Holder, claimed_until = @Until, updated_at = @Now
        WHERE ticket_id = @TicketId AND state NOT IN ('created', 'relaying')
            AND (@Until IS NULL OR claimed_until IS NULL OR claimed_until < @Now OR claimed_by = @Holder)
        """;

    private const string MarkCreatedSql = """
        UPDATE external_tickets
        SET state = 'created', external_id = @ExternalId, external_url = @ExternalUrl, last_error = NULL, claimed_until = NULL, updated_at = @Now
        WHERE ticket_id = @TicketId AND state <> 'created'
        """;

    private const string MarkRelayingSql = """
        UPDATE external_tickets SET state = 'relaying', last_error = NULL, claimed_until = NULL, updated_at = @Now
        WHERE ticket_id = @TicketId AND state = 'creating'
        """;

    private const string MarkFailedSql = """
        UPDATE external_tickets SET state = 'failed', last_error = @Error, claimed_until = NULL, updated_at = @Now
        WHERE ticket_id = @TicketId AND state NOT IN ('created', 'relaying')
        """;

    private const string MarkMovedSql = "UPDATE external_tickets SET moved_at = @Now, updated_at = @Now WHERE ticket_id = @TicketId AND moved_at IS NULL";

    private const string ClearMovedSql = "UPDATE external_tickets SET moved_at = NULL, updated_at = @Now WHERE ticket_id = @TicketId";

    /// <summary>
    /// Records, in its own committed transaction, that an attempt is starting, and claims the ticket
    /// against the other replicas (server database).
    /// </summary>
    /// <exception cref="TicketBeingDeliveredElsewhereException">Another replica's attempt holds the ticket.</exception>
    public async Task<ForwardingAttempt> BeginAttemptAsync(Guid ticketId, string reference, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var args = new
        {
            TicketId = ticketId,
            Reference = reference,
            Now = now,
            replicas.Holder,
            Until = replicas.AreShared ? now + ClaimDuration : (DateTimeOffset?)null,
        };
        // Committed before the tool is called, whatever the outcome of the call.
        var (inserted, row, begun) = await units.RunAsync(async () =>
        {
            var connection = UnitOfWork.Connection;
            var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertIntentSql, args, UnitOfWork.Current, cancellationToken: cancellationToken));
            var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(SelectSql, args, UnitOfWork.Current, cancellationToken: cancellationToken));
            var begun = await connection.ExecuteAsync(new CommandDefinition(BeginAttemptSql, args, UnitOfWork.Current, cancellationToken: cancellationToken));
            return (inserted, row, begun);
        }, cancellationToken);
        if (begun == 0 && row.State is not (ExternalTicketState.Created or ExternalTicketState.Relaying))
        {
            throw new TicketBeingDeliveredElsewhereException(reference);
        }

        return new ForwardingAttempt(row.State, IsRetry: inserted == 0, row.ExternalId, row.ExternalUrl, row.CreatedAt);
    }

    /// <summary>
    /// Marks the ticket created and enqueues <paramref name="forwarded"/>, atomically, with what
    /// <paramref name="startSync"/> writes in the same unit of work (the tool's sync columns: where its
    /// sync starts from); false (and no message) when it was already created, e.g. by an earlier
    /// confirmation of the same relay item. Joins the unit of work in progress (a consumer's), if any.
    /// </summary>
    public Task<bool> MarkCreatedAsync(TicketForwarded forwarded, Func<Task>? startSync, CancellationToken cancellationToken) =>
        units.RunAsync(async () =>
        {
            var args = new { forwarded.TicketId, forwarded.ExternalId, forwarded.ExternalUrl, Now = clock.GetUtcNow() };
            if (await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(MarkCreatedSql, args, UnitOfWork.Current, cancellationToken: cancellationToken)) == 0)
            {
                return false;
            }

            await outbox.EnqueueAsync(forwarded, cancellationToken);
            if (startSync is not null)
            {
                await startSync();
            }

            return true;
        }, cancellationToken);

    /// <summary>Manual mode: marks the ticket waiting for an operator and enqueues <paramref name="request"/>, atomically.</summary>
    public async Task MarkRelayingAsync(RelayItemRequested request, CancellationToken cancellationToken)
    {
        var args = new { request.TicketId, Now = clock.GetUtcNow() };
        await units.RunAsync(async () =>
        {
            if (await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(MarkRelayingSql, args, UnitOfWork.Current, cancellationToken: cancellationToken)) > 0)
            {
                await outbox.EnqueueAsync(request, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>Marks the ticket refused and enqueues <paramref name="failed"/>, atomically.</summary>
    public async Task MarkFailedAsync(TicketForwardingFailed failed, CancellationToken cancellationToken)
    {
        var args = new { failed.TicketId, Error = failed.Reason.Length <= 2000 ? failed.Reason : failed.Reason[..2000], Now = clock.GetUtcNow() };
        await units.RunAsync(async () =>
        {
            await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(MarkFailedSql, args, UnitOfWork.Current, cancellationToken: cancellationToken));
            await outbox.EnqueueAsync(failed, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>The row of <paramref name="ticketId"/>, or null, in the unit of work in progress.</summary>
    public Task<ExternalTicket?> FindAsync(Guid ticketId, CancellationToken cancellationToken) =>
        FindAsync(UnitOfWork.Current.Connection!, UnitOfWork.Current, ticketId, cancellationToken);

    /// <summary>The row of <paramref name="ticketId"/>, or null, read outside any unit of work (nothing is decided on it but a read).</summary>
    public async Task<ExternalTicket?> ReadAsync(Guid ticketId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, ticketId, cancellationToken);
    }

    private static async Task<ExternalTicket?> FindAsync(DbConnection connection, DbTransaction? transaction, Guid ticketId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            new CommandDefinition(SelectSql, new { TicketId = ticketId }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : new ExternalTicket(row.State, row.ExternalId, row.ExternalUrl, row.MovedAt is not null);
    }

    /// <summary>Whether the tool's ticket was told that it is no longer the hub's (the request went elsewhere, or was closed as a duplicate).</summary>
    public async Task<bool> WasMovedAwayAsync(Guid ticketId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(SelectSql, new { TicketId = ticketId }, cancellationToken: cancellationToken));
        return row?.MovedAt is not null;
    }

    /// <summary>
    /// Records that the tool's ticket is no longer the hub's (<c>moved_at</c>: the hub sent the request
    /// elsewhere, or closed it as a duplicate, ADR 19); its sync stops following it. False when it
    /// already was.
    /// </summary>
    public async Task<bool> MarkMovedAsync(Guid ticketId, CancellationToken cancellationToken) =>
        await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(
            MarkMovedSql, new { TicketId = ticketId, Now = clock.GetUtcNow() }, UnitOfWork.Current, cancellationToken: cancellationToken)) > 0;

    /// <summary>
    /// The ticket was routed back by hand to the tool that holds it: the tool's ticket is the hub's
    /// again (its sync follows it anew), and <paramref name="forwarded"/> tells intake so, in one unit
    /// of work with what <paramref name="alsoInTransaction"/> writes (e.g. the note that told the tool).
    /// </summary>
    public Task ReclaimAsync(TicketForwarded forwarded, Func<Task>? alsoInTransaction, CancellationToken cancellationToken) =>
        units.RunAsync(async () =>
        {
            await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(
                ClearMovedSql, new { forwarded.TicketId, Now = clock.GetUtcNow() }, UnitOfWork.Current, cancellationToken: cancellationToken));
            await outbox.EnqueueAsync(forwarded, cancellationToken);
            if (alsoInTransaction is not null)
            {
                await alsoInTransaction();
            }
        }, cancellationToken);

    private sealed class Row
    {
        public string State { get; init; } = "";

        public string? ExternalId { get; init; }

        public string? ExternalUrl { get; init; }

        public DateTimeOffset? MovedAt { get; init; }

        public DateTimeOffset CreatedAt { get; init; }
    }
}

/// <summary>Another replica of the connector is delivering this ticket now: the message is retried later (issue 13).</summary>
public sealed class TicketBeingDeliveredElsewhereException(string reference)
    : Exception($"Another replica is delivering {reference}; this message will be retried.");
