using System.Data.Common;
using TicketHub.ServiceDefaults.Data;

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

    /// <summary>
    /// How long a replica holds the sync after each turn: three intervals, at least 5 s. A replica whose
    /// holder died takes over within that time.
    /// </summary>
    public TimeSpan LeaseDuration => TimeSpan.FromTicks(Math.Max(Interval.Ticks * 3, TimeSpan.FromSeconds(5).Ticks));
}

/// <summary>The lease that lets one replica of a connector poll its tool at a time (issue 13).</summary>
/// <param name="Name">One per tool and sync, e.g. <c>sync:glpi</c>.</param>
public sealed record PollingLease(DatabaseLeases Leases, string Name)
{
    /// <summary>The lease <paramref name="name"/> when replicas may share the database; null on SQLite (one process).</summary>
    public static PollingLease? ForReplicas(DatabaseLeases leases, string name) => leases.AreShared ? new PollingLease(leases, name) : null;
}

/// <summary>
/// The loop of every connector's sync (GLPI, iTop, the hub's contract): poll, wait, poll again until
/// the host stops. A failed poll is reported to the sync, which logs it, and is tried again after the
/// schedule's backoff; the sync's stored cursor and per-ticket state stay where they were, so nothing
/// is lost meanwhile. The first success after failures is reported too. With a lease, a replica polls
/// only while it holds the lease (renewed at each turn) and stands by otherwise; it gives the lease up
/// when it stops. A poll slower than the lease's duration may overlap the next holder's first poll
/// once: what both read is recognised by the sync's stored state and published once.
/// </summary>
public static class PollingLoop
{
    /// <param name="pollOnce">One poll.</param>
    /// <param name="failed">Told each failure: the exception, failures in a row, and the wait before the next poll.</param>
    /// <param name="recovered">Told the number of failed polls when one succeeds again.</param>
    /// <param name="lease">The replicas' lease on this sync; null to poll from every process (one machine, SQLite).</param>
    public static async Task RunAsync(
        Func<CancellationToken, Task> pollOnce,
        PollingSchedule schedule,
        Action<Exception, int, TimeSpan> failed,
        Action<int> recovered,
        TimeProvider clock,
        CancellationToken stoppingToken,
        PollingLease? lease = null)
    {
        try
        {
            await LoopAsync(pollOnce, schedule, failed, recovered, clock, lease, stoppingToken);
        }
        finally
        {
            if (lease is not null)
            {
                await GiveUpAsync(lease);
            }
        }
    }

    private static async Task LoopAsync(
        Func<CancellationToken, Task> pollOnce,
        PollingSchedule schedule,
        Action<Exception, int, TimeSpan> failed,
        Action<int> recovered,
        TimeProvider clock,
        PollingLease? lease,
        CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = schedule.Interval;
            try
            {
                if (lease is not null && !await lease.Leases.TryHoldAsync(lease.Name, schedule.LeaseDuration, stoppingToken))
                {
                    // Another replica polls: stand by, and look again at the next turn.
                    await Task.Delay(wait, clock, stoppingToken);
                    continue;
                }

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

    private static async Task GiveUpAsync(PollingLease lease)
    {
        try
        {
            await lease.Leases.ReleaseAsync(lease.Name, CancellationToken.None);
        }
        catch (DbException)
        {
            // The database is gone as the process stops: the lease expires by itself.
        }
    }
}
