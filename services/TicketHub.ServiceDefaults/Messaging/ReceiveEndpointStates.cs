using System.Collections.Concurrent;
using MassTransit;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// Whether each receive endpoint of the service consumes, and since when, as MassTransit reports it
/// (ADR 12). An endpoint consumes once the broker confirmed its consumer (ready and started); it
/// stops consuming when its channel or connection goes, when it faults, or while it stops. The bus's
/// own temporary endpoint (responses, started only when a request needs it) is not followed.
/// </summary>
public sealed class ReceiveEndpointStates(TimeProvider clock) : IReceiveEndpointObserver, IBusObserver
{
    private readonly ConcurrentDictionary<string, EndpointState> _endpoints = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _created = clock.GetUtcNow();

    /// <summary>Every endpoint known so far, by queue name.</summary>
    public IReadOnlyList<EndpointState> All => [.. _endpoints.Values.OrderBy(state => state.Queue, StringComparer.Ordinal)];

    /// <summary>The endpoints that do not consume.</summary>
    public IReadOnlyList<EndpointState> Down => [.. All.Where(state => !state.Consuming)];

    /// <summary>
    /// True once the bus's start failed (MassTransit then stops the bus and every endpoint with it),
    /// until a start succeeds.
    /// </summary>
    public bool BusStartFaulted { get; private set; }

    /// <summary>Adds endpoints the bus has but that reported nothing yet: not consuming since the service started.</summary>
    public void Seed(IEnumerable<Uri> inputAddresses)
    {
        foreach (var address in inputAddresses.Where(address => !IsTemporary(address)))
        {
            _endpoints.TryAdd(QueueOf(address), new EndpointState(QueueOf(address), false, _created, "démarrage"));
        }
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        // Not started: MassTransit has nothing to consume there yet (no consumer connected), and
        // says it is ready; so does this.
        Set(ready.InputAddress, true, ready.IsStarted ? "consomme" : "prête, rien à consommer");
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        Set(stopping.InputAddress, false, "arrêt en cours");
        return Task.CompletedTask;
    }

    public Task Completed(ReceiveEndpointCompleted completed)
    {
        Set(completed.InputAddress, false, "arrêté (canal ou connexion perdu)");
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        Set(faulted.InputAddress, false, $"en échec : {faulted.Exception?.Message.Split('\n')[0].Trim()}");
        return Task.CompletedTask;
    }

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        BusStartFaulted = false;
        return Task.CompletedTask;
    }

    public Task StartFaulted(IBus bus, Exception exception)
    {
        BusStartFaulted = true;
        return Task.CompletedTask;
    }

    public Task PreStop(IBus bus) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    private void Set(Uri inputAddress, bool consuming, string detail)
    {
        if (IsTemporary(inputAddress))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var queue = QueueOf(inputAddress);
        _endpoints.AddOrUpdate(
            queue,
            _ => new EndpointState(queue, consuming, now, detail),
            (_, current) => current.Consuming == consuming ? current with { Detail = detail } : new EndpointState(queue, consuming, now, detail));
    }

    private static bool IsTemporary(Uri inputAddress) => inputAddress.Query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>rabbitmq://host/vhost/intake-ticket-routed</c> → <c>intake-ticket-routed</c>.</summary>
    public static string QueueOf(Uri inputAddress) => inputAddress.AbsolutePath.TrimEnd('/').Split('/')[^1];
}

/// <summary>One receive endpoint: whether it consumes, since when, and what MassTransit last said of it (in French, shown by the health endpoints).</summary>
public sealed record EndpointState(string Queue, bool Consuming, DateTimeOffset Since, string Detail);
