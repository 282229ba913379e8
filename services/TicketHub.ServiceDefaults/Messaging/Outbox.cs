using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Messaging;

internal sealed class Outbox(OutboxSignal signal, TimeProvider clock) : IOutbox
{
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    private const string InsertSql = """
        INSERT INTO outbox_messages (message_id, message_type, body, trace_parent, created_at, attempts)
        VALUES (@MessageId, @MessageType, @Body, @TraceParent, @CreatedAt, 0)
        """;

    public async Task<Guid> EnqueueAsync<T>(T message, CancellationToken cancellationToken)
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
        await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(InsertSql, row, UnitOfWork.Current, cancellationToken: cancellationToken));
        UnitOfWork.AfterCommit(signal.Notify);
        return messageId;
    }
}
