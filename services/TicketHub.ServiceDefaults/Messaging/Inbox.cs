using System.Data.Common;
using Dapper;
using MassTransit;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Messaging;

internal sealed class Inbox(IDbConnectionFactory connections, IOutbox outbox, TimeProvider clock) : IInbox
{
    private const string ExistsSql = "SELECT COUNT(1) FROM inbox_messages WHERE message_id = @MessageId AND consumer = @Consumer";

    private const string InsertSql = "INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES (@MessageId, @Consumer, @ProcessedAt)";

    public async Task<bool> ProcessOnceAsync<TConsumer>(ConsumeContext context, Func<DbTransaction, Task> work)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException("A message without MessageId cannot be processed idempotently.");
        var consumer = typeof(TConsumer).FullName!;
        var token = context.CancellationToken;

        await using var connection = await connections.OpenAsync(token);
        await using var transaction = await connection.BeginTransactionAsync(token);
        var args = new { MessageId = messageId, Consumer = consumer, ProcessedAt = clock.GetUtcNow() };
        if (await connection.ExecuteScalarAsync<int>(new CommandDefinition(ExistsSql, args, transaction, cancellationToken: token)) > 0)
        {
            return false;
        }

        await work(transaction);
        // A concurrent redelivery that got here first makes this insert fail on the primary key:
        // the transaction rolls back and MassTransit retries, then finds the message processed.
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, args, transaction, cancellationToken: token));
        await transaction.CommitAsync(token);
        outbox.NotifyCommitted();
        return true;
    }
}
