using Refit;

namespace TicketHub.Connectors.Shared.Http;

/// <summary>
/// Honours the <c>Retry-After</c> of a failed creation. The HTTP pipeline honours it for the calls it
/// retries; it never resends a creation, so the connector waits before the message is retried, and
/// the next attempt, which looks the ticket up before creating it, comes no sooner than the tool asked.
/// </summary>
public static class RetryAfter
{
    /// <summary>
    /// The longest wait a <c>Retry-After</c> gets before the message is retried: waiting holds the
    /// ticket's partition, so beyond this the consumer's retry intervals take over.
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Waits as long as <paramref name="failure"/>'s <c>Retry-After</c> (seconds or a date) asks, at
    /// most <see cref="MaxWait"/>; <paramref name="waiting"/> is told how long first (to log it). No
    /// wait when the answer asked for none.
    /// </summary>
    public static async Task WaitAsAskedAsync(ApiException failure, TimeProvider clock, Action<TimeSpan> waiting, CancellationToken cancellationToken)
    {
        var retryAfter = failure.Headers?.RetryAfter;
        var wait = retryAfter?.Delta ?? retryAfter?.Date - clock.GetUtcNow();
        if (wait is not { } asked || asked <= TimeSpan.Zero)
        {
            return;
        }

        var delay = asked < MaxWait ? asked : MaxWait;
        waiting(delay);
        await Task.Delay(delay, clock, cancellationToken);
    }
}
