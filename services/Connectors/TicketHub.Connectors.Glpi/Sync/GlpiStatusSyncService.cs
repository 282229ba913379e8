using Microsoft.Extensions.Options;
using TicketHub.Connectors.Glpi.Glpi;

namespace TicketHub.Connectors.Glpi.Sync;

/// <summary>
/// Runs <see cref="GlpiStatusSync"/> every <c>Glpi:Sync:Interval</c> (10 s by default: a change in
/// GLPI reaches the hub within that plus a poll). With nothing open to follow a poll costs one local
/// query and no call to GLPI. While GLPI fails, the wait doubles up to <c>Glpi:Sync:MaxBackoff</c>;
/// the cursor and the per-ticket state stay where they were, so nothing is lost meanwhile.
/// </summary>
internal sealed partial class GlpiStatusSyncService(
    GlpiStatusSync sync,
    IOptions<GlpiOptions> options,
    TimeProvider clock,
    ILogger<GlpiStatusSyncService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Sync;
        if (!settings.Enabled)
        {
            LogDisabled();
            return;
        }

        LogStarted(settings.Interval);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = settings.Interval;
            try
            {
                await sync.PollOnceAsync(stoppingToken);
                if (failures > 0)
                {
                    LogRecovered(failures);
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Logged, not swallowed: the next poll starts again from the stored cursor.
                failures++;
                wait = Backoff(settings, failures);
                LogPollFailed(ex, failures, wait);
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

    /// <summary>Interval × 2^(failures-1), at most <see cref="GlpiSyncOptions.MaxBackoff"/>.</summary>
    internal static TimeSpan Backoff(GlpiSyncOptions settings, int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 16));
        return TimeSpan.FromTicks((long)Math.Min(settings.Interval.Ticks * factor, settings.MaxBackoff.Ticks));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI status sync started: every {Interval}")]
    private partial void LogStarted(TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI status sync is off (Glpi:Sync:Enabled = false)")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI status sync failed ({Failures} in a row); next try in {Wait}")]
    private partial void LogPollFailed(Exception exception, int failures, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI status sync works again after {Failures} failed poll(s)")]
    private partial void LogRecovered(int failures);
}
