using System.Globalization;
using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// Watches every receive endpoint of the service (ADR 12). While one does not consume, it says so
/// at Warning level (which ones, since when) and probes the broker's port. When the broker answers
/// and an endpoint still does not consume after <see cref="BusSupervisionOptions.RestartAfter"/>,
/// MassTransit has given up on it: the supervisor restarts the bus. If that does not help either,
/// <see cref="StuckSince"/> makes <c>/health/live</c> fail after
/// <see cref="BusSupervisionOptions.LiveFailAfter"/>, and the process supervisor restarts the service.
/// </summary>
public sealed partial class BusSupervisor(
    IBusControl bus,
    ReceiveEndpointStates endpoints,
    IOptions<BusSupervisionOptions> options,
    IOptions<RabbitMqOptions> broker,
    TimeProvider clock,
    ILogger<BusSupervisor> logger) : BackgroundService
{
    private static readonly TimeSpan ReminderInterval = TimeSpan.FromMinutes(1);
    private DateTimeOffset? _answeringSince;
    private DateTimeOffset _lastRestart = DateTimeOffset.MinValue;
    private string _lastReport = "";
    private DateTimeOffset _lastReportAt = DateTimeOffset.MinValue;

    /// <summary>Since when an endpoint has not consumed although the broker answered; null while all consume or the broker is down.</summary>
    public DateTimeOffset? StuckSince { get; private set; }

    /// <summary>The bus restarts done so far.</summary>
    public int Restarts { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.CheckInterval, clock, stoppingToken);
                await CheckAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogCheckFailed(ex);
            }
        }
    }

    /// <summary>One look at the endpoints: report, and restart the bus when it has given up.</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        endpoints.Seed(bus.CheckHealth().Endpoints.Values.Select(endpoint => endpoint.InputAddress));
        var down = endpoints.Down;
        var now = clock.GetUtcNow();
        if (down.Count == 0)
        {
            if (_lastReport.Length > 0)
            {
                LogAllConsuming();
            }

            (_answeringSince, StuckSince, _lastReport) = (null, null, "");
            return;
        }

        var answers = await BrokerAnswersAsync(cancellationToken);
        _answeringSince = answers ? _answeringSince ?? now : null;
        var oldest = down.Min(endpoint => endpoint.Since);
        StuckSince = _answeringSince is { } since ? Max(oldest, since) : null;

        var report = string.Join(", ", down.Select(endpoint =>
            $"{endpoint.Queue} since {endpoint.Since.ToString("O", CultureInfo.InvariantCulture)} ({endpoint.Detail})"));
        if (report != _lastReport || now - _lastReportAt >= ReminderInterval)
        {
            LogNotConsuming(down.Count, endpoints.All.Count, report, answers ? "answers" : "does not answer");
            (_lastReport, _lastReportAt) = (report, now);
        }

        if (StuckSince is { } stuck && now - Max(stuck, _lastRestart) >= options.Value.RestartAfter)
        {
            await RestartBusAsync(now - stuck, cancellationToken);
        }
    }

    private async Task RestartBusAsync(TimeSpan stuckFor, CancellationToken cancellationToken)
    {
        Restarts++;
        _lastRestart = clock.GetUtcNow();
        LogRestarting(stuckFor.TotalSeconds, Restarts);
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            stop.CancelAfter(TimeSpan.FromSeconds(30));
            await bus.StopAsync(stop.Token);
        }

        // The start waits for every endpoint to be ready; one that cannot be is left to the next
        // check rather than holding this one (MassTransit stops the bus again when the start is cancelled).
        using var start = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        start.CancelAfter(options.Value.RestartAfter);
        try
        {
            await bus.StartAsync(start.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogRestartIncomplete(options.Value.RestartAfter.TotalSeconds);
        }
    }

    private async Task<bool> BrokerAnswersAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ProbeTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(broker.Value.Host, broker.Value.Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Down} of {Total} receive endpoints do not consume: {Endpoints}; the broker {Broker}")]
    private partial void LogNotConsuming(int down, int total, string endpoints, string broker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Every receive endpoint consumes again")]
    private partial void LogAllConsuming();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker answers but a receive endpoint has not consumed for {Seconds:F0} s: MassTransit gave up on it; restarting the bus (restart {Restart})")]
    private partial void LogRestarting(double seconds, int restart);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The restarted bus was not ready within {Seconds:F0} s; the next check tries again")]
    private partial void LogRestartIncomplete(double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "The bus supervisor's check failed")]
    private partial void LogCheckFailed(Exception exception);
}
