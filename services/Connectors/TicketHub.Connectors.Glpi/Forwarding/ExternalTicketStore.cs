using Dapper;
using TicketHub.Connectors.Glpi.Sync;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>States of a row of <c>external_tickets</c>.</summary>
internal static class ExternalTicketState
{
    /// <summary>An attempt started; GLPI may or may not have the ticket.</summary>
    public const string Creating = "creating";

    /// <summary>GLPI has the ticket; <c>external_id</c> is its id.</summary>
    public const string Created = "created";

    /// <summary>GLPI refused it; a later TicketRouted for the same ticket tries again.</summary>
    public const string Failed = "failed";
}

/// <summary>What the store knew of a ticket when an attempt started.</summary>
/// <param name="State">State before this attempt.</param>
/// <param name="IsRetry">An earlier attempt exists: GLPI may already hold the ticket.</param>
/// <param name="ExternalId">GLPI id when <paramref name="State"/> is created.</param>
internal sealed record ForwardingAttempt(string State, bool IsRetry, string? ExternalId);

/// <summary>
/// The connector's memory of which hub tickets exist in GLPI (<c>external_tickets</c>). It is what
/// makes creation idempotent: the intent is committed before GLPI is called, and the result is
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
        SELECT state AS State, external_id AS ExternalId FROM external_tickets WHERE ticket_id = @TicketId
        """;

    private const string BeginAttemptSql = """
        UPDATE external_tickets SET state = 'creating', attempts = attempts + 1, updated_at = @Now
        WHERE ticket_id = @TicketId AND state <> 'created'
        """;

    /// <summary>
    /// Also the status sync's starting point: intake learns "forwarded" (GLPI's 1, new) from
    /// TicketForwarded, and a new ticket has no follow-up; GLPI saying otherwise is a change to report.
    /// </summary>
    private const string MarkCreatedSql = """
        UPDATE external_tickets SET state = 'created', external_id = @ExternalId, last_error = NULL, updated_at = @Now,
            glpi_status = 1, followup_count = 0
        WHERE ticket_id = @TicketId
        """;

    private const string MarkFailedSql = """
        UPDATE external_tickets SET state = 'failed', last_error = @Error, updated_at = @Now
        WHERE ticket_id = @TicketId AND state <> 'created'
        """;

    /// <summary>Records, in its own committed transaction, that an attempt is starting.</summary>
    public async Task<ForwardingAttempt> BeginAttemptAsync(Guid ticketId, string reference, CancellationToken cancellationToken)
    {
        var args = new { TicketId = ticketId, Reference = reference, Now = clock.GetUtcNow() };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertIntentSql, args, transaction, cancellationToken: cancellationToken));
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(SelectSql, args, transaction, cancellationToken: cancellationToken));
        if (row.State != ExternalTicketState.Created)
        {
            await connection.ExecuteAsync(new CommandDefinition(BeginAttemptSql, args, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return new ForwardingAttempt(row.State, IsRetry: inserted == 0, row.ExternalId);
    }

    /// <summary>Marks the ticket created and enqueues <paramref name="forwarded"/>, atomically.</summary>
    public async Task MarkCreatedAsync(TicketForwarded forwarded, CancellationToken cancellationToken)
    {
        var args = new { forwarded.TicketId, forwarded.ExternalId, Now = clock.GetUtcNow() };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(MarkCreatedSql, args, transaction, cancellationToken: cancellationToken));
        await outbox.EnqueueAsync(transaction, forwarded, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.NotifyCommitted();
    }

    private const string SelectMovedSql = "SELECT moved_at FROM external_tickets WHERE ticket_id = @TicketId";

    private const string ClearMovedSql = "UPDATE external_tickets SET moved_at = NULL, updated_at = @Now WHERE ticket_id = @TicketId";

    /// <summary>Whether a follow-up told the GLPI ticket that the hub had sent the request elsewhere.</summary>
    public async Task<bool> WasMovedAwayAsync(Guid ticketId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(
            new CommandDefinition(SelectMovedSql, new { TicketId = ticketId }, cancellationToken: cancellationToken)) is not null;
    }

    /// <summary>
    /// The ticket was routed back to GLPI by hand: the existing GLPI ticket is the hub's again, and
    /// <paramref name="forwarded"/> tells intake so, atomically, with the follow-up that told GLPI
    /// (<paramref name="noticeFollowupId"/>, never to be reported back as a reply).
    /// </summary>
    public async Task ReclaimAsync(TicketForwarded forwarded, int? noticeFollowupId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ClearMovedSql, new { forwarded.TicketId, Now = now }, transaction, cancellationToken: cancellationToken));
        if (noticeFollowupId is { } followupId)
        {
            await HubFollowups.RecordAsync(transaction, followupId, forwarded.TicketId, null, now, cancellationToken);
        }

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

    private sealed class Row
    {
        public string State { get; init; } = "";

        public string? ExternalId { get; init; }
    }
}
