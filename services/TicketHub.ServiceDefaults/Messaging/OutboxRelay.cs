using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox rows in insertion order, with the stored message id (so consumers'
/// inboxes recognise a redelivery) and the trace context of the request that wrote them. A row is
/// marked sent only after the broker confirmed the publish; a crash in between means the message is
/// published again and the consumer's inbox absorbs the duplicate.
/// </summary>
/// <remarks>
/// On a server database several replicas relay one outbox (issue 13): each claims its batch in a
/// transaction that locks the rows and skips those another relay holds (PostgreSQL
/// <c>FOR UPDATE SKIP LOCKED</c>, SQL Server <c>UPDLOCK, READPAST</c>), so every row is published by one
/// relay; a relay that dies releases its rows with its connection. Order then holds within a relay's
/// batch only, which the consumers never relied on (ADR 3). SQLite has one process per file: no claim.
/// </remarks>
internal sealed partial class OutboxRelay(
    IDbConnectionFactory connections,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly ActivitySource Source = new("TicketHub.Outbox");

    private const string SelectPendingSqliteSql = """
        SELECT seq AS Seq, message_id AS MessageId, message_type AS MessageType, body AS Body, trace_parent AS TraceParent, attempts AS Attempts
        FROM outbox_messages WHERE sent_at IS NULL ORDER BY seq LIMIT @BatchSize
        """;

    private const string SelectPendingSqlServerSql = """
        SELECT TOP (@BatchSize) seq AS Seq, message_id AS MessageId, message_type AS MessageType, body AS Body, trace_parent AS TraceParent, attempts AS Attempts
        FROM outbox_messages WITH (UPDLOCK, READPAST, ROWLOCK) WHERE sent_at IS NULL ORDER BY seq
        """;

    private const string SelectPendingPostgreSqlSql = """
        SELECT seq AS Seq, message_id AS MessageId, message_type AS MessageType, body AS Body, trace_parent AS TraceParent, attempts AS Attempts
        FROM outbox_messages WHERE sent_at IS NULL ORDER BY seq LIMIT @BatchSize FOR UPDATE SKIP LOCKED
        """;

    private const string MarkSentSql = "UPDATE outbox_messages SET sent_at = @SentAt, attempts = attempts + 1 WHERE seq = @Seq";

    private const string MarkFailedSql = "UPDATE outbox_messages SET attempts = attempts + 1, last_error = @Error WHERE seq = @Seq";

    private const string PurgeOutboxSql = "DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < @Cutoff";

    private const string PurgeInboxSql = "DELETE FROM inbox_messages WHERE processed_at < @Cutoff";

    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await PublishPendingAsync(stoppingToken);
                backoff = TimeSpan.Zero;
                await PurgeIfDueAsync(stoppingToken);
                if (published == options.Value.BatchSize)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
                LogRelayFailed(ex, backoff.TotalMilliseconds);
                await Task.Delay(backoff, clock, stoppingToken);
                continue;
            }

            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Publishes one batch; stops at the first failure so that order is kept.</summary>
    internal async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // The claim lasts as long as the batch's transaction (server databases only; see remarks).
        await using var claim = connections.Dialect.IsServer ? await connection.BeginTransactionAsync(cancellationToken) : null;
        var sql = connections.Dialect.Pick(SelectPendingSqliteSql, SelectPendingSqlServerSql, SelectPendingPostgreSqlSql);
        var rows = (await connection.QueryAsync<PendingMessage>(
            new CommandDefinition(sql, new { options.Value.BatchSize }, claim, cancellationToken: cancellationToken))).AsList();

        try
        {
            foreach (var row in rows)
            {
                try
                {
                    await PublishAsync(row, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        MarkFailedSql, new { row.Seq, Error = Truncate(ex.Message, 2000) }, claim, cancellationToken: cancellationToken));
                    throw;
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    MarkSentSql, new { row.Seq, SentAt = clock.GetUtcNow() }, claim, cancellationToken: cancellationToken));
            }
        }
        finally
        {
            // What was published stays marked sent, the failure stays counted, even when the batch stops.
            if (claim is not null && !cancellationToken.IsCancellationRequested)
            {
                await claim.CommitAsync(CancellationToken.None);
            }
        }

        return rows.Count;
    }

    private async Task PublishAsync(PendingMessage row, CancellationToken cancellationToken)
    {
        var type = ContractTypes.Resolve(row.MessageType);
        var message = JsonSerializer.Deserialize(row.Body, type, Outbox.SerializerOptions)
            ?? throw new InvalidOperationException($"Outbox message {row.MessageId} has an empty body.");

        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = Source.StartActivity($"outbox publish {type.Name}", ActivityKind.Producer, parent);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        await bus.Publish(message, type, context => context.MessageId = row.MessageId, timeout.Token);
    }

    private async Task PurgeIfDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _nextPurge)
        {
            return;
        }

        _nextPurge = now.AddHours(1);
        var cutoff = now - options.Value.Retention;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(PurgeOutboxSql, new { Cutoff = cutoff }, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(PurgeInboxSql, new { Cutoff = cutoff }, cancellationToken: cancellationToken));
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay could not publish; retrying in {DelayMs} ms")]
    private partial void LogRelayFailed(Exception exception, double delayMs);

    private sealed record PendingMessage(long Seq, Guid MessageId, string MessageType, string Body, string? TraceParent, long Attempts);
}

/// <summary>Maps a stored type name back to a contract type; only contracts can be relayed.</summary>
internal static class ContractTypes
{
    public static Type Resolve(string fullName) =>
        typeof(TicketSubmitted).Assembly.GetType(fullName, throwOnError: false)
        ?? throw new InvalidOperationException($"'{fullName}' is not a TicketHub contract.");
}
