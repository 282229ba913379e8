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
/// MassTransit has given up on it: the supervisor starts the bus again if its start failed, then
/// restarts each endpoint still down (a bus restart alone leaves alone an endpoint that MassTransit
/// left faulted, since it counts it as started). If that does not help either,
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

    private static readonly TimeSpan EndpointStopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long past its own timeout a MassTransit step may take before the supervisor stops waiting for it.</summary>
    private static readonly TimeSpan StepGrace = TimeSpan.FromSeconds(5);
    private DateTimeOffset? _answeringSince;
    private DateTimeOffset _lastRestart = DateTimeOffset.MinValue;
    private string _lastReport = "";
    private DateTimeOffset _lastReportAt = DateTimeOffset.MinValue;

    /// <summary>Since when an endpoint has not consumed although the broker answered; null while all consume or the broker is down.</summary>
    public DateTimeOffset? StuckSince { get; private set; }

    /// <summary>The recoveries (bus started again, endpoints restarted) done so far.</summary>
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

    /// <summary>One look at the endpoints: report, and restart what MassTransit gave up on.</summary>
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
            await RecoverAsync(now - stuck, cancellationToken);
        }
    }

    private async Task RecoverAsync(TimeSpan stuckFor, CancellationToken cancellationToken)
    {
        Restarts++;
        _lastRestart = clock.GetUtcNow();
        LogRecovering(stuckFor.TotalSeconds, Restarts);
        if (endpoints.BusStartFaulted)
        {
            await StartBusAsync(cancellationToken);
        }

        var down = endpoints.Down.Select(endpoint => endpoint.Queue).ToHashSet(StringComparer.Ordinal);
        foreach (var result in bus.CheckHealth().Endpoints.Values)
        {
            // MassTransit's receive endpoint can be stopped and started again on its own; the
            // interface the health result exposes cannot, hence the concrete type (MassTransit 8.5).
            // The bus's own temporary endpoint is restarted too when MassTransit counts it unhealthy:
            // the states do not follow it, but the broker check does.
            var queue = ReceiveEndpointStates.QueueOf(result.InputAddress);
            if (result.ReceiveEndpoint is MassTransit.Transports.ReceiveEndpoint endpoint
                && (down.Contains(queue) || result.Status != BusHealthStatus.Healthy))
            {
                await RestartEndpointAsync(endpoint, queue, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Starts the bus that MassTransit stopped when its start failed. The start waits for every
    /// endpoint it starts; one that cannot start is left to the next check.
    /// </summary>
    private async Task StartBusAsync(CancellationToken cancellationToken)
    {
        using var start = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        start.CancelAfter(options.Value.RestartAfter);
        try
        {
            // Bounded here, not only by the token: a start that hangs without honouring it must not
            // stop the supervisor's checks (nor the liveness they feed).
            await bus.StartAsync(start.Token).WaitAsync(options.Value.RestartAfter + StepGrace, clock, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogBusStartFailed(ex);
        }
    }

    private async Task RestartEndpointAsync(MassTransit.Transports.ReceiveEndpoint endpoint, string queue, CancellationToken cancellationToken)
    {
        try
        {
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                stop.CancelAfter(EndpointStopTimeout);
                // Bounded here too: an endpoint whose start hung may never finish stopping (chaos run
                // of 2026-12-06 11:33: the supervisor waited on it for good, and checked nothing more).
                await endpoint.Stop(stop.Token).WaitAsync(EndpointStopTimeout + StepGrace, clock, cancellationToken);
            }

            endpoint.Start(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogEndpointRestartFailed(ex, queue);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker answers but a receive endpoint has not consumed for {Seconds:F0} s: MassTransit gave up on it; restarting what is down (restart {Restart})")]
    private partial void LogRecovering(double seconds, int restart);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bus, whose start had failed, could not be started again; the next check tries again")]
    private partial void LogBusStartFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The receive endpoint {Queue} could not be restarted; the next check tries again")]
    private partial void LogEndpointRestartFailed(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "The bus supervisor's check failed")]
    private partial void LogCheckFailed(Exception exception);
}
