using System.Net;

namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What the process supervisor of a deployment does (deploy/run.sh's <c>watch_liveness</c>, a
/// Kubernetes liveness probe): every 10 s it asks each service's <c>/health/live</c>, and restarts a
/// service that answered "unhealthy" three times in a row (ADR 12: a service whose bus MassTransit
/// gave up on, and that its own supervisor could not bring back, says so there). A service that does
/// not answer at all is being started or killed by the test itself: that is not counted.
/// </summary>
internal sealed class LivenessWatchdog : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private const int FailuresBeforeRestart = 3;

    private readonly IReadOnlyList<ServiceProcess> _services;
    private readonly SemaphoreSlim _restarting;
    private readonly Action<string> _report;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Task _watching;

    /// <param name="restarting">Held while a service is killed and started again (by the test or by the watchdog).</param>
    /// <param name="report">Told each restart, for the run's timeline.</param>
    public LivenessWatchdog(IReadOnlyList<ServiceProcess> services, SemaphoreSlim restarting, Action<string> report)
    {
        _services = services;
        _restarting = restarting;
        _report = report;
        _watching = Task.Run(WatchAsync);
    }

    /// <summary>Services restarted because their liveness failed.</summary>
    public int Restarts { get; private set; }

    private async Task WatchAsync()
    {
        var failures = _services.ToDictionary(service => service, _ => 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var service in _services)
            {
                failures[service] = await IsUnhealthyAsync(service) ? failures[service] + 1 : 0;
                if (failures[service] < FailuresBeforeRestart)
                {
                    continue;
                }

                failures[service] = 0;
                await _restarting.WaitAsync();
                try
                {
                    _report($"{service.Name}: /health/live failed {FailuresBeforeRestart} times in a row; restarted, as its supervisor would");
                    service.Kill();
                    service.Start();
                    Restarts++;
                }
                finally
                {
                    _restarting.Release();
                }
            }
        }
    }

    private async Task<bool> IsUnhealthyAsync(ServiceProcess service)
    {
        try
        {
            using var response = await _client.GetAsync(new Uri(service.BaseAddress, "/health/live"), _stop.Token);
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
        _client.Dispose();
    }
}
