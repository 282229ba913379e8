using Microsoft.Extensions.Options;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Connectors.Shared.Sync;
using TicketHub.ServiceDefaults.Data;

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
    DatabaseLeases leases,
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
        await PollingLoop.RunAsync(
            sync.PollOnceAsync,
            new PollingSchedule(settings.Interval, settings.MaxBackoff),
            failed: LogPollFailed,
            recovered: LogRecovered,
            clock,
            stoppingToken,
            PollingLease.ForReplicas(leases, "sync:glpi"));
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
