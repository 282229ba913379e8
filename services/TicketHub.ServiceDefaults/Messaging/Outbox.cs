using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;

namespace TicketHub.ServiceDefaults.Messaging;

internal sealed class Outbox(OutboxSignal signal, TimeProvider clock) : IOutbox
{
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    private const string InsertSql = """
        INSERT INTO outbox_messages (message_id, message_type, body, trace_parent, created_at, attempts)
        VALUES (@MessageId, @MessageType, @Body, @TraceParent, @CreatedAt, 0)
        """;

    public async Task<Guid> EnqueueAsync<T>(DbTransaction transaction, T message, CancellationToken cancellationToken)
        where T : class
    {
        var messageId = NewId.NextGuid();
        var row = new
        {
            MessageId = messageId,
            MessageType = typeof(T).FullName,
            Body = JsonSerializer.Serialize(message, SerializerOptions),
            TraceParent = Activity.Current?.Id,
            CreatedAt = clock.GetUtcNow(),
        };
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(InsertSql, row, transaction, cancellationToken: cancellationToken));
        return messageId;
    }

    public void NotifyCommitted() => signal.Notify();
}
