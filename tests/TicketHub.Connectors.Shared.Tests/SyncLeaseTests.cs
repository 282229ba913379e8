using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketHub.Connectors.Shared.Sync;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>
/// Replicas of a connector on one PostgreSQL database poll their tool one at a time (issue 13): the
/// lease in the database decides which; when its holder dies another takes over, when it stops the
/// next turn does. Each replica is a host with its own <see cref="DatabaseLeases"/> (its own holder).
/// </summary>
public sealed class SyncLeaseTests
{
    private static readonly PollingSchedule Schedule = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));

    [Test]
    public async Task Two_replicas_poll_one_at_a_time_and_the_other_takes_over_when_the_holder_dies()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "lease");
        using var first = await Replica.StartAsync(database);
        using var second = await Replica.StartAsync(database);
        var polls = new PollLog();
        using var firstStops = new CancellationTokenSource();
        using var secondStops = new CancellationTokenSource();
        var firstLoop = RunAsync(first, "first", polls, firstStops.Token);
        var secondLoop = RunAsync(second, "second", polls, secondStops.Token);

        await polls.WaitForAsync(count: 15);
        Assert.That(polls.Overlaps, Is.Zero, "two replicas polled at once");
        var holder = polls.Pollers.Single();
        TestContext.Progress.WriteLine($"{holder} polls; the other stands by.");

        // The holder dies: its lease is neither renewed nor released (a SIGKILL).
        var survivorName = holder == "first" ? "second" : "first";
        polls.Stop(holder);
        var died = DateTime.UtcNow;
        await polls.WaitForAsync(count: 5, poller: survivorName);
        TestContext.Progress.WriteLine($"{survivorName} took over after {(DateTime.UtcNow - died).TotalSeconds:0.0} s (lease {Schedule.LeaseDuration.TotalSeconds:0} s).");
        Assert.That(polls.Overlaps, Is.Zero);

        await firstStops.CancelAsync();
        await secondStops.CancelAsync();
        await Task.WhenAll(firstLoop, secondLoop);
    }

    [Test]
    public async Task A_replica_that_stops_hands_the_sync_over_at_the_next_turn()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "lease");
        using var first = await Replica.StartAsync(database);
        using var second = await Replica.StartAsync(database);
        var polls = new PollLog();
        using var firstStops = new CancellationTokenSource();
        var firstLoop = RunAsync(first, "first", polls, firstStops.Token);
        await polls.WaitForAsync(count: 3, poller: "first");

        using var secondStops = new CancellationTokenSource();
        var secondLoop = RunAsync(second, "second", polls, secondStops.Token);
        await Task.Delay(Schedule.Interval * 5);
        Assert.That(polls.Pollers, Is.EquivalentTo(new[] { "first" }), "the second stands by while the first holds the sync");

        await firstStops.CancelAsync();
        await firstLoop;
        var stopped = DateTime.UtcNow;
        await polls.WaitForAsync(count: 3, poller: "second");
        TestContext.Progress.WriteLine($"second took over {(DateTime.UtcNow - stopped).TotalSeconds:0.00} s after the first stopped (a lease lasts {Schedule.LeaseDuration.TotalSeconds:0} s).");

        await secondStops.CancelAsync();
        await secondLoop;
    }

    private static Task RunAsync(IHost replica, string name, PollLog polls, CancellationToken stoppingToken) =>
        PollingLoop.RunAsync(
            cancellationToken => polls.PollAsync(name, cancellationToken),
            Schedule,
            failed: (exception, _, _) => TestContext.Progress.WriteLine($"{name}: {exception.Message}"),
            recovered: _ => { },
            TimeProvider.System,
            stoppingToken,
            PollingLease.ForReplicas(replica.Services.GetRequiredService<DatabaseLeases>(), "sync:test"));

    /// <summary>Who polled, and whether two polls ever ran at once. A stopped poller's polls hang, as a dead process's would.</summary>
    private sealed class PollLog
    {
        private readonly Lock _lock = new();
        private readonly List<string> _polls = [];
        private readonly HashSet<string> _dead = [];
        private int _running;

        public int Overlaps { get; private set; }

        public IReadOnlyCollection<string> Pollers
        {
            get
            {
                lock (_lock)
                {
                    return _polls.Distinct().ToList();
                }
            }
        }

        public void Stop(string poller)
        {
            lock (_lock)
            {
                _dead.Add(poller);
            }
        }

        public async Task PollAsync(string poller, CancellationToken cancellationToken)
        {
            bool dead;
            lock (_lock)
            {
                dead = _dead.Contains(poller);
            }

            if (dead)
            {
                // Dead: hangs here until the test ends, so it never polls nor renews its lease again.
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            lock (_lock)
            {
                _polls.Add(poller);
                if (++_running > 1)
                {
                    Overlaps++;
                }
            }

            await Task.Delay(30, cancellationToken);
            lock (_lock)
            {
                _running--;
            }
        }

        public async Task WaitForAsync(int count, string? poller = null)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                lock (_lock)
                {
                    if (_polls.Count(p => poller is null || p == poller) >= count)
                    {
                        return;
                    }
                }

                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"no {count} polls by {poller ?? "anyone"}");
                await Task.Delay(20);
            }
        }
    }
}
