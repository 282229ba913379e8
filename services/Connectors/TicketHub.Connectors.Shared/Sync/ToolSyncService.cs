using Microsoft.Extensions.Options;
using TicketHub.ServiceDefaults.Data;
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
    DatabaseLeases leases,
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
        await PollingLoop.RunAsync(
            sync.PollOnceAsync,
            new PollingSchedule(settings.Interval, settings.MaxBackoff),
            failed: (exception, failures, wait) => LogPollFailed(exception, tool.DisplayName, failures, wait),
            recovered: failures => LogRecovered(tool.DisplayName, failures),
            clock,
            stoppingToken,
            PollingLease.ForReplicas(leases, $"sync:{tool.Tool}"));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool} sync started: every {Interval}")]
    private partial void LogStarted(string tool, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool} sync is off (delivery mode {Mode}, or Sync:Enabled = false)")]
    private partial void LogNotFollowing(string tool, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tool} sync failed ({Failures} in a row); next try in {Wait}")]
    private partial void LogPollFailed(Exception exception, string tool, int failures, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool} sync works again after {Failures} failed poll(s)")]
    private partial void LogRecovered(string tool, int failures);
}
