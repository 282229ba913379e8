using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// Sends the redeliveries that are due back to their queues, with their original message id and how
/// many redeliveries they have had. A row is marked sent after the broker confirmed it; a crash in
/// between sends it again, and the consumer's inbox absorbs the copy.
/// </summary>
internal sealed partial class RedeliveryRelay(
    RedeliveryStore store,
    IBus sendEndpoints,
    IOptions<RedeliveryOptions> options,
    IOptions<OutboxOptions> outboxOptions,
    TimeProvider clock,
    ILogger<RedeliveryRelay> logger) : BackgroundService
{
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var due in await store.DueAsync(100, stoppingToken))
                {
                    await SendAsync(due, stoppingToken);
                    await store.MarkSentAsync(due.Seq, stoppingToken);
                }

                if (clock.GetUtcNow() >= _nextPurge)
                {
                    _nextPurge = clock.GetUtcNow().AddHours(1);
                    await store.PurgeAsync(clock.GetUtcNow() - outboxOptions.Value.Retention, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRelayFailed(ex);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendAsync(DueRedelivery due, CancellationToken cancellationToken)
    {
        var type = ContractTypes.Resolve(due.MessageType);
        var message = JsonSerializer.Deserialize(due.Body, type, Outbox.SerializerOptions)
            ?? throw new InvalidOperationException($"Redelivery of {due.MessageId} has an empty body.");
        ActivityContext.TryParse(due.TraceParent, null, out var parent);
        using var activity = new ActivitySource("TicketHub.Outbox").StartActivity($"redeliver {type.Name}", ActivityKind.Producer, parent);
        // To the exchange MassTransit binds to the endpoint's queue, not to the queue itself: sending to
        // "queue:" declares the queue, as a classic one, which RabbitMQ refuses for a quorum queue
        // (406 PRECONDITION_FAILED, inequivalent x-queue-type; issue 13).
        var endpoint = await sendEndpoints.GetSendEndpoint(new Uri($"exchange:{due.Queue}"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(outboxOptions.Value.PublishTimeout);
        await endpoint.Send(message, type, context =>
        {
            context.MessageId = due.MessageId;
            context.Headers.Set(RedeliveryFilter<object>.RedeliveryHeader, due.Redelivery);
            context.Headers.Set(RedeliveryFilter<object>.FirstFailureHeader, due.FirstFailedAt.ToString("O", CultureInfo.InvariantCulture));
        }, timeout.Token);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redelivery relay could not send; it tries again at its next round")]
    private partial void LogRelayFailed(Exception exception);
}

/// <summary>Replays, from this service's dead letters, the one an administrator asked for.</summary>
internal sealed class DeadLetterReplayConsumer(IInbox inbox, RedeliveryStore store, IHostEnvironment environment)
    : IConsumer<Contracts.DeadLetterReplayRequested>
{
    public Task Consume(ConsumeContext<Contracts.DeadLetterReplayRequested> context) =>
        context.Message.Service == MessagingExtensions.EndpointPrefix(environment.ApplicationName)
            ? inbox.ProcessOnceAsync<DeadLetterReplayConsumer>(context, () =>
                store.ReplayAsync(context.Message.DeadLetterId, context.CancellationToken))
            : Task.CompletedTask;
}
