using Microsoft.Extensions.Options;
using TicketHub.Connectors.Shared.Tool;

namespace TicketHub.Connectors.Shared.Sync;

/// <summary>
/// Runs <see cref="ToolSync"/> every <c>Sync:Interval</c> (10 s by default) in http mode; the e-mail
/// and manual modes cannot read the tool, so their operators report changes through intake. With
/// nothing to follow a poll costs one local query. While the tool fails, the wait doubles up to
/// <c>Sync:MaxBackoff</c>; the cursor stays where it was, so nothing is lost meanwhile.
/// </summary>
internal sealed partial class ToolSyncService(
    ToolSync sync,
    IOptions<ToolOptions> options,
    ToolDescriptor tool,
    TimeProvider clock,
    ILogger<ToolSyncService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Sync;
        if (!options.Value.IsHttp || !settings.Enabled)
        {
            LogNotFollowing(tool.DisplayName, options.Value.Delivery);
            return;
        }

        LogStarted(tool.DisplayName, settings.Interval);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = settings.Interval;
            try
            {
                await sync.PollOnceAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var factor = Math.Pow(2, Math.Min(failures - 1, 16));
                wait = TimeSpan.FromTicks((long)Math.Min(settings.Interval.Ticks * factor, settings.MaxBackoff.Ticks));
                LogPollFailed(ex, tool.DisplayName, failures, wait);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool} sync started: every {Interval}")]
    private partial void LogStarted(string tool, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool} sync is off (delivery mode {Mode}, or Sync:Enabled = false)")]
    private partial void LogNotFollowing(string tool, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tool} sync failed ({Failures} in a row); next try in {Wait}")]
    private partial void LogPollFailed(Exception exception, string tool, int failures, TimeSpan wait);
}
