using Dapper;
using MassTransit;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Messaging;

/// <remarks>
/// On SQLite (one process per file) the message is looked up, processed, then recorded: a concurrent
/// redelivery in the same process is kept out by the consumers' partitioner, and a second insert fails
/// on the primary key. On a server database several replicas may receive the same message at once (a
/// redelivery after a lost connection while the first is still working), so the record is written
/// first and acts as the claim: the second replica's insert waits for the first's transaction and then
/// finds the row (nothing to do), or, if the first rolled back, takes the message over. The effect of a
/// message (a follow-up posted to a tool) therefore happens once across replicas, not only per process.
/// </remarks>
internal sealed class Inbox(IDbConnectionFactory connections, UnitOfWork units, TimeProvider clock) : IInbox
{
    private const string ExistsSql = "SELECT COUNT(1) FROM inbox_messages WHERE message_id = @MessageId AND consumer = @Consumer";

    private const string InsertSql = "INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES (@MessageId, @Consumer, @ProcessedAt)";

    /// <summary>Records the message unless another transaction did: waits for a concurrent one to end.</summary>
    private const string ClaimPostgreSqlSql = InsertSql + " ON CONFLICT DO NOTHING";

    private const string ClaimSqlServerSql = """
        INSERT INTO inbox_messages (message_id, consumer, processed_at)
        SELECT @MessageId, @Consumer, @ProcessedAt
        WHERE NOT EXISTS (SELECT 1 FROM inbox_messages WITH (UPDLOCK, HOLDLOCK) WHERE message_id = @MessageId AND consumer = @Consumer)
        """;

    public Task<bool> ProcessOnceAsync<TConsumer>(ConsumeContext context, Func<Task> work)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException("A message without MessageId cannot be processed idempotently.");
        var consumer = typeof(TConsumer).FullName!;
        var token = context.CancellationToken;
        return units.RunAsync(async () =>
        {
            var transaction = UnitOfWork.Current;
            var connection = transaction.Connection!;
            var args = new { MessageId = messageId, Consumer = consumer, ProcessedAt = clock.GetUtcNow() };
            if (connections.Dialect.IsServer)
            {
                var claim = connections.Dialect.Pick(InsertSql, ClaimSqlServerSql, ClaimPostgreSqlSql);
                if (await connection.ExecuteAsync(new CommandDefinition(claim, args, transaction, cancellationToken: token)) == 0)
                {
                    return false;
                }

                await work();
                return true;
            }

            if (await connection.ExecuteScalarAsync<int>(new CommandDefinition(ExistsSql, args, transaction, cancellationToken: token)) > 0)
            {
                return false;
            }

            await work();
            // A concurrent redelivery that got here first makes this insert fail on the primary key:
            // the transaction rolls back and MassTransit retries, then finds the message processed.
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, args, transaction, cancellationToken: token));
            return true;
        }, token);
    }
}
