using System.Data.Common;
using System.Globalization;
using Dapper;
using TicketHub.Contracts;
using TicketHub.Intake.Data;
using TicketHub.Intake.Http;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.DeadLetters;

/// <summary>
/// The dead letters of every service, as they reported them, and what administrators do with them:
/// replay (the owning service sends its stored copy back to the queue) or discard. Each action is
/// audited in <c>dead_letter_actions</c>.
/// </summary>
public sealed class DeadLetterStore(IDbConnectionFactory connections, UnitOfWork units, IOutbox outbox, TicketLifecycle lifecycle, TimeProvider clock)
{
    private const int FailureReasonMaxLength = 1_900;

    /// <summary>What the collège reads; the service and its error go to <c>failureDetail</c>, for the operators.</summary>
    public const string FailedAfterRetries = "La transmission de la demande a échoué après plusieurs tentatives. L'équipe TicketHub en est avertie et la relancera.";

    // The dead letter id is the owning service's: the same report seen twice (even under two
    // message ids) is one row.
    private const string InsertSql = """
        INSERT INTO reported_dead_letters (id, service, queue, message_id, message_type, ticket_id, reference, reason, attempts,
            first_failed_at, last_failed_at, reported_at, state)
        SELECT @Id, @Service, @Queue, @MessageId, @MessageType, @TicketId, @Reference, @Reason, @Attempts,
            @FirstFailedAt, @LastFailedAt, @ReportedAt, @State
        WHERE NOT EXISTS (SELECT 1 FROM reported_dead_letters WHERE id = @Id)
        """;

    private const string SelectTicketByIdSql = "SELECT id FROM tickets WHERE id = @Id";

    private const string SelectTicketByReferenceSql = "SELECT id FROM tickets WHERE reference = @Reference";

    /// <summary>
    /// Records a service's dead letter, once per dead letter id, and shows the ticket it names as
    /// failed with a reason a person understands, unless the ticket is unknown here or already
    /// further along (a late dead letter never moves a ticket back: <see cref="TicketStatus.CanMove"/>).
    /// </summary>
    /// <returns>False when the dead letter was already recorded.</returns>
    public async Task<bool> RecordAsync(MessageDeadLettered letter, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            Id = letter.DeadLetterId,
            Service = Clip(letter.Service, 100),
            Queue = Clip(letter.Queue, 300),
            letter.MessageId,
            MessageType = Clip(letter.MessageType, 300),
            letter.TicketId,
            Reference = letter.Reference is null ? null : Clip(letter.Reference, 100),
            Reason = Clip(letter.Reason, 2_000),
            letter.Attempts,
            letter.FirstFailedAt,
            letter.LastFailedAt,
            ReportedAt = clock.GetUtcNow(),
            State = DeadLetterStates.Open,
        }, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return false;
        }

        var ticketId = await KnownTicketAsync(letter, cancellationToken);
        if (ticketId is { } id)
        {
            var detail = $"La transmission a échoué après plusieurs tentatives ({letter.Service}) : {letter.Reason}";
            await lifecycle.FailedAsync(id, FailedAfterRetries,
                detail.Length <= FailureReasonMaxLength ? detail : detail[..FailureReasonMaxLength] + "…", cancellationToken);
        }

        return true;
    }

    /// <summary>The ticket the dead letter names, by id or else by reference, when intake has it.</summary>
    private static async Task<Guid?> KnownTicketAsync(MessageDeadLettered letter, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        if (letter.TicketId is { } ticketId)
        {
            return await connection.QuerySingleOrDefaultAsync<Guid?>(
                new CommandDefinition(SelectTicketByIdSql, new { Id = ticketId }, transaction, cancellationToken: cancellationToken));
        }

        return letter.Reference is { } reference && TicketReference.LooksLikeReference(reference)
            ? await connection.QuerySingleOrDefaultAsync<Guid?>(
                new CommandDefinition(SelectTicketByReferenceSql, new { Reference = reference }, transaction, cancellationToken: cancellationToken))
            : null;
    }

    private const string ColumnList = """
        id, service, queue, message_type, message_id, ticket_id, reference, reason, attempts, first_failed_at, last_failed_at,
            state, resolved_by, resolved_at, discard_reason
        """;

    private const string ListFilter = """
        WHERE (@Service IS NULL OR service = @Service) AND (@State IS NULL OR state = @State)
            AND (@AfterAt IS NULL OR last_failed_at > @AfterAt OR (last_failed_at = @AfterAt AND id > @AfterId))
        ORDER BY last_failed_at, id
        """;

    private const string ListSqliteSql = "SELECT " + ColumnList + "\nFROM reported_dead_letters\n" + ListFilter + "\nLIMIT @Take";

    // Optional filters: RECOMPILE lets SQL Server pick the index for the filters actually given.
    private const string ListSqlServerSql = "SELECT TOP (@Take) " + ColumnList + "\nFROM reported_dead_letters\n" + ListFilter + "\nOPTION (RECOMPILE)";

    private const string SelectByIdSql = "SELECT " + ColumnList + "\nFROM reported_dead_letters WHERE id = @Id";

    private const string SelectLastFailedAtSql = "SELECT last_failed_at FROM reported_dead_letters WHERE id = @Id";

    /// <summary>
    /// One page of dead letters, oldest failure first (keyset paging on failure time then id, so that
    /// letters replayed meanwhile never shift a page).
    /// </summary>
    /// <returns>Null when the page's <c>after</c> names no dead letter.</returns>
    public Task<Page<DeadLetterView>?> ListAsync(string? service, string? state, PageRequest page, CancellationToken cancellationToken) =>
        KeysetPaging.ReadAsync<DeadLetterRow, DeadLetterView>(connections, SelectLastFailedAtSql, connections.Dialect.Pick(ListSqliteSql, ListSqlServerSql),
            new { Service = service, State = state }, page, r => r.ToView(), v => v.Id, cancellationToken);

    public async Task<DeadLetterView?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, id, cancellationToken);
    }

    private const string MarkReplayedSql = """
        UPDATE reported_dead_letters SET state = @Replayed, resolved_by = @By, resolved_at = @Now
        WHERE id = @Id AND state = @Open
        """;

    private const string MarkDiscardedSql = """
        UPDATE reported_dead_letters SET state = @Discarded, resolved_by = @By, resolved_at = @Now, discard_reason = @Reason
        WHERE id = @Id AND state = @Open
        """;

    private const string InsertActionSql = """
        INSERT INTO dead_letter_actions (dead_letter_id, action, acted_by, acted_at, reason)
        VALUES (@DeadLetterId, @Action, @By, @At, @Reason)
        """;

    private const string SelectOpenSql = """
        SELECT id, service FROM reported_dead_letters
        WHERE state = @Open AND (@Service IS NULL OR service = @Service)
        ORDER BY last_failed_at, id
        """;

    /// <summary>
    /// Marks the dead letter replayed, audits it and asks its service to replay it
    /// (<see cref="DeadLetterReplayRequested"/> in the outbox), in one transaction. Only an open
    /// dead letter can be replayed: should it fail again, its service reports a new one.
    /// </summary>
    public Task<DeadLetterActionResult> ReplayAsync(Guid id, string by, CancellationToken cancellationToken) =>
        ActOnOpenAsync(id, letter =>
            ReplayOneAsync(letter.Id, letter.Service, by, DeadLetterActions.Replay, cancellationToken), cancellationToken);

    /// <summary>Replays every open dead letter (of <paramref name="service"/> only, if given), oldest first, in one transaction.</summary>
    /// <returns>How many were replayed.</returns>
    public async Task<int> ReplayAllAsync(string? service, string by, CancellationToken cancellationToken)
    {
        return await units.RunAsync(async () =>
        {
            var transaction = UnitOfWork.Current;
            var connection = transaction.Connection!;
            var open = await connection.QueryAsync<OpenRow>(new CommandDefinition(SelectOpenSql,
                new { Open = DeadLetterStates.Open, Service = service }, transaction, cancellationToken: cancellationToken));
            var replayed = 0;
            foreach (var letter in open.AsList())
            {
                if (await ReplayOneAsync(letter.Id, letter.Service, by, DeadLetterActions.ReplayAll, cancellationToken))
                {
                    replayed++;
                }
            }

            return replayed;
        }, cancellationToken);
    }

    private async Task<bool> ReplayOneAsync(Guid id, string service, string by, string action, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        var now = clock.GetUtcNow();
        var updated = await connection.ExecuteAsync(new CommandDefinition(MarkReplayedSql, new
        {
            Id = id,
            By = by,
            Now = now,
            Replayed = DeadLetterStates.Replayed,
            Open = DeadLetterStates.Open,
        }, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            return false;
        }

        await AuditAsync(id, action, by, now, null, cancellationToken);
        await outbox.EnqueueAsync(new DeadLetterReplayRequested(id, service, by, now), cancellationToken);
        return true;
    }

    /// <summary>Gives up on an open dead letter for good, with the reason, audited. Its service keeps its copy.</summary>
    public Task<DeadLetterActionResult> DiscardAsync(Guid id, string reason, string by, CancellationToken cancellationToken) =>
        ActOnOpenAsync(id, async letter =>
        {
            var now = clock.GetUtcNow();
            var updated = await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(MarkDiscardedSql, new
            {
                Id = id,
                By = by,
                Now = now,
                Reason = reason,
                Discarded = DeadLetterStates.Discarded,
                Open = DeadLetterStates.Open,
            }, UnitOfWork.Current, cancellationToken: cancellationToken));
            if (updated == 0)
            {
                return false;
            }

            await AuditAsync(id, DeadLetterActions.Discard, by, now, reason, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="act"/> on dead letter <paramref name="id"/> while it is open, in one
    /// transaction. When someone else replayed or discarded it between the read and the update
    /// (<paramref name="act"/> returns false), the letter is read again and answered as it now is.
    /// </summary>
    private async Task<DeadLetterActionResult> ActOnOpenAsync(
        Guid id, Func<DeadLetterView, Task<bool>> act, CancellationToken cancellationToken)
    {
        while (true)
        {
            // When act changed nothing (someone acted first), the unit of work wrote nothing: read again.
            var (answer, done) = await units.RunAsync<(DeadLetterActionResult?, bool)>(async () =>
            {
                var letter = await ReadAsync(UnitOfWork.Connection, UnitOfWork.Current, id, cancellationToken);
                if (letter is null)
                {
                    return (DeadLetterActionResult.NotFound, false);
                }

                return letter.State != DeadLetterStates.Open
                    ? (DeadLetterActionResult.Conflict(NotOpen(letter)), false)
                    : (null, await act(letter));
            }, cancellationToken);
            if (answer is not null)
            {
                return answer;
            }

            if (done)
            {
                await using var connection = await connections.OpenAsync(cancellationToken);
                return DeadLetterActionResult.Done((await ReadAsync(connection, null, id, cancellationToken))!);
            }
        }
    }

    private static Task AuditAsync(Guid id, string action, string by, DateTimeOffset at, string? reason, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(InsertActionSql,
            new { DeadLetterId = id, Action = action, By = by, At = at, Reason = reason }, UnitOfWork.Current, cancellationToken: cancellationToken));

    private static string NotOpen(DeadLetterView letter)
    {
        var resolution = letter.Resolution;
        var who = resolution is null
            ? ""
            : $" par {resolution.By} le {resolution.At.UtcDateTime.ToString("yyyy-MM-dd 'à' HH:mm 'UTC'", CultureInfo.InvariantCulture)}";
        return letter.State == DeadLetterStates.Replayed
            ? $"Ce message en échec a déjà été rejoué{who} : s'il échoue encore, il reviendra comme un nouveau message en échec."
            : $"Ce message en échec a été abandonné{who} : il ne peut plus être rejoué ni abandonné.";
    }

    private static async Task<DeadLetterView?> ReadAsync(DbConnection connection, DbTransaction? transaction, Guid id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<DeadLetterRow>(
            new CommandDefinition(SelectByIdSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
        return row?.ToView();
    }

    private static string Clip(string text, int maxLength) => text.Length <= maxLength ? text : text[..maxLength];

    private sealed record OpenRow(Guid Id, string Service);

    private sealed class DeadLetterRow
    {
        public Guid Id { get; init; }
        public string Service { get; init; } = "";
        public string Queue { get; init; } = "";
        public string MessageType { get; init; } = "";
        public Guid MessageId { get; init; }
        public Guid? TicketId { get; init; }
        public string? Reference { get; init; }
        public string Reason { get; init; } = "";
        public int Attempts { get; init; }
        public DateTimeOffset FirstFailedAt { get; init; }
        public DateTimeOffset LastFailedAt { get; init; }
        public string State { get; init; } = "";
        public string? ResolvedBy { get; init; }
        public DateTimeOffset? ResolvedAt { get; init; }
        public string? DiscardReason { get; init; }

        public DeadLetterView ToView() => new(
            Id, Service, Queue, MessageType, MessageId, TicketId, Reference, Reason, Attempts, FirstFailedAt, LastFailedAt, State,
            State != DeadLetterStates.Open && ResolvedBy is not null && ResolvedAt is { } at
                ? new DeadLetterResolution(ResolvedBy, at, DiscardReason)
                : null);
    }
}

public sealed record DeadLetterActionResult(bool Found, string? ConflictDetail, DeadLetterView? DeadLetter)
{
    public static DeadLetterActionResult NotFound { get; } = new(false, null, null);

    public static DeadLetterActionResult Conflict(string detail) => new(true, detail, null);

    public static DeadLetterActionResult Done(DeadLetterView deadLetter) => new(true, null, deadLetter);
}
