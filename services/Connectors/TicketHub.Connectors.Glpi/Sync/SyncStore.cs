using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Glpi.Sync;

/// <summary>What the sync knows of the tickets it follows: one row of <c>external_tickets</c> each.</summary>
/// <param name="GlpiStatus">Status last reported (1 when the hub created the ticket), or null.</param>
/// <param name="GlpiDateMod">date_mod last seen, as GLPI wrote it.</param>
/// <param name="FollowupCount">Number of follow-ups last seen (GLPI's search count), or null.</param>
/// <param name="LastFollowupId">Highest follow-up id already handled (reported, skipped or the hub's own).</param>
/// <param name="LastSolutionId">Highest solution id already reported.</param>
/// <param name="SyncVersion">Bumped on every save: a save based on a stale read changes nothing.</param>
internal sealed record FollowedTicket(
    Guid TicketId,
    string Reference,
    string ExternalId,
    int? GlpiStatus,
    string? GlpiDateMod,
    int? FollowupCount,
    int? LastFollowupId,
    int? LastSolutionId,
    int SyncVersion);

/// <summary>A followed ticket's new state and the updates that announce the change.</summary>
internal sealed record TicketSync(FollowedTicket Before, FollowedTicket After, IReadOnlyList<ExternalTicketUpdated> Updates);

/// <summary>How much there is to follow: open tickets the hub created in GLPI, and when the oldest was created.</summary>
internal sealed record FollowedSummary(int OpenTickets, DateTimeOffset? OldestCreatedAt, string? Cursor);

/// <summary>
/// The sync's memory: per-ticket state in <c>external_tickets</c>, the search cursor in
/// <c>sync_cursors</c>. Reads happen outside any transaction (GLPI is called in between); each page's
/// changes then commit in one short transaction with their outbox messages.
/// </summary>
internal sealed class SyncStore(IDbConnectionFactory connections, UnitOfWork units, IOutbox outbox, TimeProvider clock)
{
    private const string CursorName = "glpi-tickets-date-mod";

    /// <summary>Closed (6) is GLPI's last status: nothing is expected of a closed ticket.</summary>
    private const string SummarySql = """
        SELECT COUNT(1) AS OpenTickets, MIN(created_at) AS OldestCreatedAt FROM external_tickets
        WHERE state = 'created' AND moved_at IS NULL AND (glpi_status IS NULL OR glpi_status <> 6)
        """;

    private const string SelectCursorSql = "SELECT value FROM sync_cursors WHERE name = @Name";

    private const string UpdateCursorSql = "UPDATE sync_cursors SET value = @Value, updated_at = @Now WHERE name = @Name";

    private const string InsertCursorSql = "INSERT INTO sync_cursors (name, value, updated_at) VALUES (@Name, @Value, @Now)";

    // GLPI's dates as text (yyyy-MM-dd HH:mm:ss) compare in time order.
    private const string RewindCursorSql = "UPDATE sync_cursors SET value = @Value, updated_at = @Now WHERE name = @Name AND value > @Value";

    /// <summary>Only tickets the hub created and still holds in GLPI are followed.</summary>
    private const string SelectFollowedSql = """
        SELECT ticket_id, reference, external_id, glpi_status, glpi_date_mod, followup_count, last_followup_id, last_solution_id, sync_version
        FROM external_tickets WHERE external_id = @ExternalId AND state = 'created' AND moved_at IS NULL
        """;

    /// <summary>
    /// The status sync's starting point, written with "created": intake learns "forwarded" (GLPI's 1,
    /// new) from TicketForwarded, and a new ticket has no follow-up; GLPI saying otherwise is a change to report.
    /// </summary>
    private const string StartSql = "UPDATE external_tickets SET glpi_status = 1, followup_count = 0 WHERE ticket_id = @TicketId";

    private const string SaveTicketSql = """
        UPDATE external_tickets
        SET glpi_status = @GlpiStatus, glpi_date_mod = @GlpiDateMod, followup_count = @FollowupCount,
            last_followup_id = @LastFollowupId, last_solution_id = @LastSolutionId,
            sync_version = sync_version + 1, updated_at = @Now
        WHERE ticket_id = @TicketId AND sync_version = @SyncVersion
        """;

    /// <summary>Where the sync starts from for a ticket just created, in the ledger's transaction that marks it created.</summary>
    public static Task StartAsync(Guid ticketId, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(StartSql, new { TicketId = ticketId }, UnitOfWork.Current, cancellationToken: cancellationToken));

    public async Task<FollowedSummary> SummaryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var summary = await connection.QuerySingleAsync<SummaryRow>(new CommandDefinition(SummarySql, cancellationToken: cancellationToken));
        var cursor = await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(SelectCursorSql, new { Name = CursorName }, cancellationToken: cancellationToken));
        return new FollowedSummary(summary.OpenTickets, summary.OldestCreatedAt, cursor);
    }

    /// <summary>The followed tickets among GLPI ids <paramref name="glpiIds"/>, keyed by GLPI id.</summary>
    public async Task<Dictionary<int, FollowedTicket>> FollowedAsync(IEnumerable<int> glpiIds, CancellationToken cancellationToken)
    {
        var followed = new Dictionary<int, FollowedTicket>();
        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (var id in glpiIds.Distinct())
        {
            var externalId = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var row = await connection.QueryFirstOrDefaultAsync<FollowedRow>(
                new CommandDefinition(SelectFollowedSql, new { ExternalId = externalId }, cancellationToken: cancellationToken));
            if (row is not null)
            {
                followed[id] = new FollowedTicket(row.TicketId, row.Reference, row.ExternalId, row.GlpiStatus, row.GlpiDateMod,
                    row.FollowupCount, row.LastFollowupId, row.LastSolutionId, row.SyncVersion);
            }
        }

        return followed;
    }

    public async Task<IReadOnlySet<int>> HubFollowupIdsAsync(Guid ticketId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await HubFollowups.OfTicketAsync(connection, ticketId, cancellationToken);
    }

    /// <summary>
    /// Saves each ticket's new state and enqueues its updates, all in one transaction. A ticket whose
    /// row moved since it was read (another sync got there first) keeps that state and sends nothing.
    /// </summary>
    /// <returns>The updates enqueued.</returns>
    public async Task<int> SaveAsync(IReadOnlyList<TicketSync> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        return await units.RunAsync(async () =>
        {
            var transaction = UnitOfWork.Current;
            var connection = transaction.Connection!;
            var enqueued = 0;
            foreach (var change in changes)
            {
                var after = change.After;
                var saved = await connection.ExecuteAsync(new CommandDefinition(SaveTicketSql, new
                {
                    after.TicketId,
                    after.GlpiStatus,
                    after.GlpiDateMod,
                    after.FollowupCount,
                    after.LastFollowupId,
                    after.LastSolutionId,
                    change.Before.SyncVersion,
                    Now = now,
                }, transaction, cancellationToken: cancellationToken));
                if (saved == 0)
                {
                    continue;
                }

                foreach (var update in change.Updates)
                {
                    await outbox.EnqueueAsync(update, cancellationToken);
                    enqueued++;
                }
            }

            return enqueued;
        }, cancellationToken);
    }

    /// <summary>
    /// Moves the search cursor, after the poll's pages committed. The cursor only says where to start
    /// reading: a crash before it moves makes the next poll read those rows again, and the per-ticket
    /// state committed with the updates keeps them from being reported twice.
    /// </summary>
    /// <summary>Moves the search's cursor back to <paramref name="value"/> (never forward), in the unit of work in progress.</summary>
    public Task RewindCursorAsync(string value, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(RewindCursorSql, new { Name = CursorName, Value = value, Now = clock.GetUtcNow() },
            UnitOfWork.Current, cancellationToken: cancellationToken));

    public async Task SaveCursorAsync(string value, CancellationToken cancellationToken)
    {
        var args = new { Name = CursorName, Value = value, Now = clock.GetUtcNow() };
        await units.RunAsync(async () =>
        {
            var transaction = UnitOfWork.Current;
            var connection = transaction.Connection!;
            if (await connection.ExecuteAsync(new CommandDefinition(UpdateCursorSql, args, transaction, cancellationToken: cancellationToken)) == 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertCursorSql, args, transaction, cancellationToken: cancellationToken));
            }
        }, cancellationToken);
    }

    private sealed class FollowedRow
    {
        public Guid TicketId { get; init; }

        public string Reference { get; init; } = "";

        public string ExternalId { get; init; } = "";

        public int? GlpiStatus { get; init; }

        public string? GlpiDateMod { get; init; }

        public int? FollowupCount { get; init; }

        public int? LastFollowupId { get; init; }

        public int? LastSolutionId { get; init; }

        public int SyncVersion { get; init; }
    }

    private sealed class SummaryRow
    {
        public int OpenTickets { get; init; }

        public DateTimeOffset? OldestCreatedAt { get; init; }
    }
}
