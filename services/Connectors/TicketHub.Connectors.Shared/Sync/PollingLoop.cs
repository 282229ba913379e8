namespace TicketHub.Connectors.Shared.Sync;

/// <summary>How often a sync polls its tool, and how far it backs off while the tool fails.</summary>
/// <param name="Interval">Time between two polls while they succeed.</param>
/// <param name="MaxBackoff">Longest wait while polls fail; equal to <paramref name="Interval"/> for no backoff.</param>
public sealed record PollingSchedule(TimeSpan Interval, TimeSpan MaxBackoff)
{
    /// <summary>The wait after <paramref name="failures"/> failed polls in a row: Interval × 2^(failures-1), at most MaxBackoff.</summary>
    public TimeSpan WaitAfter(int failures)
    {
        if (failures <= 0)
        {
            return Interval;
        }

        var factor = Math.Pow(2, Math.Min(failures - 1, 16));
        return TimeSpan.FromTicks((long)Math.Min(Interval.Ticks * factor, MaxBackoff.Ticks));
    }
}

/// <summary>
/// The loop of every connector's sync (GLPI, iTop, the hub's contract): poll, wait, poll again until
/// the host stops. A failed poll is reported to the sync, which logs it, and is tried again after the
/// schedule's backoff; the sync's stored cursor and per-ticket state stay where they were, so nothing
/// is lost meanwhile. The first success after failures is reported too.
/// </summary>
public static class PollingLoop
{
    /// <param name="pollOnce">One poll.</param>
    /// <param name="failed">Told each failure: the exception, failures in a row, and the wait before the next poll.</param>
    /// <param name="recovered">Told the number of failed polls when one succeeds again.</param>
    public static async Task RunAsync(
        Func<CancellationToken, Task> pollOnce,
        PollingSchedule schedule,
        Action<Exception, int, TimeSpan> failed,
        Action<int> recovered,
        TimeProvider clock,
        CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = schedule.Interval;
            try
            {
                await pollOnce(stoppingToken);
                if (failures > 0)
                {
                    recovered(failures);
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Reported, not swallowed: the next poll starts again from the stored cursor.
                failures++;
                wait = schedule.WaitAfter(failures);
                failed(ex, failures, wait);
            }

            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
