using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>A message a consumer failed on, as the redelivery filter saw it.</summary>
/// <param name="Redelivery">How many delayed redeliveries it has had already.</param>
internal sealed record FailedMessage(
    Guid MessageId, Type MessageType, object Message, string Queue, int Redelivery, DateTimeOffset FirstFailedAt, string Reason);

/// <summary>A redelivery that is due: the stored message, and where it goes back to.</summary>
internal sealed class DueRedelivery
{
    public long Seq { get; init; }

    public Guid MessageId { get; init; }

    public string MessageType { get; init; } = "";

    public string Body { get; init; } = "";

    public string Queue { get; init; } = "";

    public int Redelivery { get; init; }

    public DateTimeOffset FirstFailedAt { get; init; }

    public string? TraceParent { get; init; }
}

/// <summary>
/// The durable side of delayed redelivery and dead letters, in the service's own database: the
/// broker here has no delayed-message plugin (ADR 8), so a message to send back later is a row with
/// a due time, and a message given up on is a row that can be replayed.
/// </summary>
internal sealed class RedeliveryStore(IDbConnectionFactory connections, UnitOfWork units, IOutbox outbox, TimeProvider clock)
{
    private const string ScheduleSql = """
        INSERT INTO scheduled_redeliveries (message_id, message_type, body, queue, redelivery, first_failed_at, trace_parent, due_at, sent_at)
        VALUES (@MessageId, @MessageType, @Body, @Queue, @Redelivery, @FirstFailedAt, @TraceParent, @DueAt, NULL)
        """;

    private const string InsertDeadLetterSql = """
        INSERT INTO dead_letters (id, message_id, message_type, body, queue, ticket_id, reference, reason, attempts, first_failed_at, last_failed_at, replayed_at)
        VALUES (@Id, @MessageId, @MessageType, @Body, @Queue, @TicketId, @Reference, @Reason, @Attempts, @FirstFailedAt, @LastFailedAt, NULL)
        """;

    private const string SelectDueSqliteSql = """
        SELECT seq AS Seq, message_id AS MessageId, message_type AS MessageType, body AS Body, queue AS Queue, redelivery AS Redelivery,
               first_failed_at AS FirstFailedAt, trace_parent AS TraceParent
        FROM scheduled_redeliveries WHERE sent_at IS NULL AND due_at <= @Now ORDER BY due_at, seq LIMIT @BatchSize
        """;

    private const string SelectDueSqlServerSql = """
        SELECT TOP (@BatchSize) seq AS Seq, message_id AS MessageId, message_type AS MessageType, body AS Body, queue AS Queue, redelivery AS Redelivery,
               first_failed_at AS FirstFailedAt, trace_parent AS TraceParent
        FROM scheduled_redeliveries WHERE sent_at IS NULL AND due_at <= @Now ORDER BY due_at, seq
        """;

    private const string MarkSentSql = "UPDATE scheduled_redeliveries SET sent_at = @Now WHERE seq = @Seq";

    private const string SelectDeadLetterSql = """
        SELECT message_id AS MessageId, message_type AS MessageType, body AS Body, queue AS Queue, first_failed_at AS FirstFailedAt
        FROM dead_letters WHERE id = @Id AND replayed_at IS NULL
        """;

    private const string MarkReplayedSql = "UPDATE dead_letters SET replayed_at = @Now WHERE id = @Id AND replayed_at IS NULL";

    private const string PurgeSentSql = "DELETE FROM scheduled_redeliveries WHERE sent_at IS NOT NULL AND sent_at < @Cutoff";

    /// <summary>Stores <paramref name="failed"/> to be sent back to its queue at <paramref name="dueAt"/>.</summary>
    public async Task ScheduleAsync(FailedMessage failed, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ScheduleSql, new
        {
            failed.MessageId,
            MessageType = failed.MessageType.FullName,
            Body = JsonSerializer.Serialize(failed.Message, failed.MessageType, Outbox.SerializerOptions),
            failed.Queue,
            Redelivery = failed.Redelivery + 1,
            failed.FirstFailedAt,
            TraceParent = Activity.Current?.Id,
            DueAt = dueAt,
        }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Keeps <paramref name="failed"/> as a dead letter and announces it (<see cref="MessageDeadLettered"/>),
    /// in one transaction.
    /// </summary>
    public async Task<MessageDeadLettered> DeadLetterAsync(FailedMessage failed, string service, int attempts, CancellationToken cancellationToken)
    {
        var (ticketId, reference) = TicketOf(failed.Message);
        var now = clock.GetUtcNow();
        var reason = failed.Reason.Length <= 2000 ? failed.Reason : failed.Reason[..2000];
        var announced = new MessageDeadLettered(
            Guid.NewGuid(), service, failed.Queue, failed.MessageId, failed.MessageType.Name, ticketId, reference, reason, attempts, failed.FirstFailedAt, now);
        await units.RunAsync(async () =>
        {
            var transaction = UnitOfWork.Current;
            await transaction.Connection!.ExecuteAsync(new CommandDefinition(InsertDeadLetterSql, new
            {
                Id = announced.DeadLetterId,
                failed.MessageId,
                MessageType = failed.MessageType.FullName,
                Body = JsonSerializer.Serialize(failed.Message, failed.MessageType, Outbox.SerializerOptions),
                failed.Queue,
                TicketId = ticketId,
                Reference = reference,
                Reason = reason,
                Attempts = attempts,
                failed.FirstFailedAt,
                LastFailedAt = now,
            }, transaction, cancellationToken: cancellationToken));
            // A report of a dead letter that itself fails to be recorded is kept here, not announced
            // again: announcing it would start an endless chain of reports about reports.
            if (failed.MessageType != typeof(MessageDeadLettered))
            {
                await outbox.EnqueueAsync(announced, cancellationToken);
            }
        }, cancellationToken);
        return announced;
    }

    /// <summary>
    /// Sends dead letter <paramref name="deadLetterId"/> back to its queue at once, as a fresh
    /// delivery (its retries and redeliveries start again), in the unit of work in progress;
    /// false when it is unknown here or already replayed.
    /// </summary>
    public async Task<bool> ReplayAsync(Guid deadLetterId, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        var now = clock.GetUtcNow();
        var letter = await connection.QuerySingleOrDefaultAsync<StoredLetter>(
            new CommandDefinition(SelectDeadLetterSql, new { Id = deadLetterId }, transaction, cancellationToken: cancellationToken));
        if (letter is null)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(ScheduleSql, new
        {
            letter.MessageId,
            letter.MessageType,
            letter.Body,
            letter.Queue,
            Redelivery = 0,
            FirstFailedAt = now,
            TraceParent = Activity.Current?.Id,
            DueAt = now,
        }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(MarkReplayedSql, new { Id = deadLetterId, Now = now }, transaction, cancellationToken: cancellationToken));
        return true;
    }

    public async Task<IReadOnlyList<DueRedelivery>> DueAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var sql = connections.Dialect.Pick(SelectDueSqliteSql, SelectDueSqlServerSql);
        return (await connection.QueryAsync<DueRedelivery>(
            new CommandDefinition(sql, new { Now = clock.GetUtcNow(), BatchSize = batchSize }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task MarkSentAsync(long seq, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(MarkSentSql, new { Seq = seq, Now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    public async Task PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(PurgeSentSql, new { Cutoff = cutoff }, cancellationToken: cancellationToken));
    }

    /// <summary>The ticket a message names, by the contracts' convention (<c>TicketId</c>, <c>Reference</c>).</summary>
    internal static (Guid? TicketId, string? Reference) TicketOf(object message)
    {
        var type = message.GetType();
        var ticketId = type.GetProperty("TicketId", BindingFlags.Public | BindingFlags.Instance)?.GetValue(message) as Guid?;
        var reference = type.GetProperty("Reference", BindingFlags.Public | BindingFlags.Instance)?.GetValue(message) as string;
        return (ticketId, reference);
    }

    private sealed class StoredLetter
    {
        public Guid MessageId { get; init; }

        public string MessageType { get; init; } = "";

        public string Body { get; init; } = "";

        public string Queue { get; init; } = "";

        public DateTimeOffset FirstFailedAt { get; init; }
    }
}
