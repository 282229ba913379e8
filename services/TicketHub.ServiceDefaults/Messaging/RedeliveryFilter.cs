using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// Outermost filter of a consumer: when the consumer still fails after its immediate retries, the
/// message is released and stored to come back after the next delay of <see cref="RedeliveryOptions.Delayed"/>
/// (same message id: the consumer's inbox still applies it once); when those are spent too, it becomes
/// a dead letter in the service's database, announced to intake, and leaves the queue. Nothing goes to
/// the <c>_error</c> queues, and nothing is lost: the message is acknowledged only after the row that
/// replaces it is committed.
/// </summary>
internal sealed partial class RedeliveryFilter<T>(
    RedeliveryStore store,
    Data.DatabaseState database,
    IOptions<RedeliveryOptions> options,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<RedeliveryFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    /// <summary>Delayed redeliveries a message has had.</summary>
    public const string RedeliveryHeader = "TicketHub-Redelivery";

    /// <summary>When the message first failed, kept across redeliveries.</summary>
    public const string FirstFailureHeader = "TicketHub-First-Failure";

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        // A service started while its database was down holds its messages (unacknowledged, so
        // the broker keeps them) until the database answers and is migrated.
        await database.WaitUntilReadyAsync(context.CancellationToken);
        try
        {
            await next.Send(context);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            var settings = options.Value;
            var redelivery = context.Headers.Get<int>(RedeliveryHeader) ?? 0;
            var firstFailedAt = context.Headers.Get<string>(FirstFailureHeader) is { } first
                && DateTimeOffset.TryParse(first, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                ? parsed
                : clock.GetUtcNow();
            var failed = new FailedMessage(
                context.MessageId ?? throw new InvalidOperationException("A message without MessageId cannot be redelivered."),
                typeof(T),
                context.Message,
                QueueOf(context),
                redelivery,
                firstFailedAt,
                $"{ex.GetType().Name}: {ex.Message}");

            if (redelivery < settings.DelayedIntervals.Count && !ConsumerRetryPolicy.IsPermanent(ex))
            {
                var delay = settings.DelayedIntervals[redelivery];
                await DurablyAsync(() => store.ScheduleAsync(failed, clock.GetUtcNow() + delay, CancellationToken.None));
                LogRedeliveryScheduled(ex, typeof(T).Name, failed.MessageId, redelivery + 1, settings.DelayedIntervals.Count, delay);
                return;
            }

            var attempts = (redelivery + 1) * (settings.ImmediateIntervals.Count + 1);
            var letter = await DurablyAsync(() => store.DeadLetterAsync(failed, MessagingExtensions.EndpointPrefix(environment.ApplicationName), attempts, CancellationToken.None));
            LogDeadLettered(ex, typeof(T).Name, failed.MessageId, letter.DeadLetterId, letter.Reference);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("ticketHubRedelivery");

    /// <summary>
    /// The row that replaces the message must be written before the message is let go: while the
    /// database does not answer, try again for about half a minute; then let MassTransit keep it.
    /// </summary>
    private static async Task DurablyAsync(Func<Task> write) => await DurablyAsync(async () =>
    {
        await write();
        return true;
    });

    private static async Task<TResult> DurablyAsync<TResult>(Func<Task<TResult>> write)
    {
        for (var wait = TimeSpan.FromSeconds(1); ; wait *= 2)
        {
            try
            {
                return await write();
            }
            catch (System.Data.Common.DbException) when (wait < TimeSpan.FromSeconds(16))
            {
                await Task.Delay(wait);
            }
        }
    }

    /// <summary>The queue's name, e.g. <c>connectors-glpi-ticket-routed</c>.</summary>
    private static string QueueOf(ConsumeContext context)
    {
        var address = context.ReceiveContext.InputAddress;
        return address.Segments.Length > 0 ? address.Segments[^1].Trim('/') : address.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{MessageType} {MessageId} failed after its immediate retries; delayed redelivery {Redelivery} of {Redeliveries} in {Delay}")]
    private partial void LogRedeliveryScheduled(Exception exception, string messageType, Guid messageId, int redelivery, int redeliveries, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "{MessageType} {MessageId} failed after every retry and redelivery: dead letter {DeadLetterId} (ticket {Reference})")]
    private partial void LogDeadLettered(Exception exception, string messageType, Guid messageId, Guid deadLetterId, string? reference);
}

public static class ConsumerRetryPolicy
{
    /// <summary>
    /// The retry policy every consumer definition applies: immediate retries
    /// (<c>Messaging:Retry:Immediate</c>) inside delayed redeliveries (<c>Messaging:Retry:Delayed</c>),
    /// then a dead letter (ADR 8).
    /// </summary>
    /// <remarks>
    /// The redelivery filter sits on the endpoint's message pipe and the immediate retries on the
    /// consumer's, which MassTransit runs inside it: each redelivery gets its full set of retries.
    /// </remarks>
    public static void UseTicketHubRetry<TConsumer>(this IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer, IRegistrationContext context)
        where TConsumer : class
    {
        var options = context.GetRequiredService<IOptions<RedeliveryOptions>>().Value;

        // A failed round is not a fault yet: the dead letter (MessageDeadLettered) says when it is.
        endpoint.PublishFaults = false;
        endpoint.UseConsumeFilter(typeof(RedeliveryFilter<>), context);
        consumer.UseMessageRetry(retry =>
        {
            retry.Ignore(typeof(PermanentMessageException), typeof(System.Text.Json.JsonException), typeof(FormatException), typeof(ArgumentException));
            retry.Intervals([.. options.ImmediateIntervals]);
        });
    }

    /// <summary>
    /// A failure that no retry can cure (a message that cannot be read or makes no sense): it becomes
    /// a dead letter at once instead of waiting through the redeliveries.
    /// </summary>
    public static bool IsPermanent(Exception exception) =>
        exception is PermanentMessageException or System.Text.Json.JsonException or FormatException or ArgumentException;
}

/// <summary>Thrown by a consumer for a message it can never process: dead-lettered at once.</summary>
public sealed class PermanentMessageException(string message, Exception? inner = null) : Exception(message, inner);
