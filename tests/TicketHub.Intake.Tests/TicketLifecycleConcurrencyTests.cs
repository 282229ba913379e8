using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

/// <summary>
/// Two changes of one ticket at once, on PostgreSQL (read committed, as several intake replicas would
/// run): the change decided on the older row is decided again on the newer one, instead of
/// overwriting it (issue 13). Each interleaving is forced: the first transaction holds the row until
/// the second is seen waiting for it. (SQLite takes its write lock at the transaction's start, so
/// there the second change simply runs after the first.)
/// </summary>
[TestFixture]
public sealed class TicketLifecycleConcurrencyTests() : IntakeTest(DatabaseProvider.PostgreSql)
{
    private static readonly DateTimeOffset ToolTime = DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private TicketLifecycle Lifecycle => Factory.Services.GetRequiredService<TicketLifecycle>();

    [Test]
    public async Task A_forwarded_message_racing_the_tools_resolution_never_moves_the_ticket_back()
    {
        var (id, reference) = await Tickets.RoutedAsync(ExternalTools.Glpi);

        // The tool resolved the ticket (its update overtook TicketForwarded): not committed yet.
        var resolving = Hold(() => Lifecycle.ExternalStatusAsync(id, ExternalTools.Glpi, HubStatuses.Resolved, ToolTime, "GLPI : demande résolue.", null, CancellationToken.None));
        Assert.That(await resolving.Changed, Is.True);

        // TicketForwarded, read on the routed ticket, must wait for the row, then decide again.
        var forwarding = Hold(() => Lifecycle.ForwardedAsync(
            new TicketForwarded(id, reference, ExternalTools.Glpi, "42", "https://glpi.example/ticket/42", DateTimeOffset.UtcNow), CancellationToken.None));
        await WaitUntilBlockedAsync(forwarding.Changed);
        await resolving.CommitAsync();
        Assert.That(await forwarding.Changed, Is.True, "the external ticket is still recorded");
        await forwarding.CommitAsync();

        var ticket = await Tickets.GetAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(ticket["status"]!.GetValue<string>(), Is.EqualTo(HubStatuses.Resolved), "not back to forwarded");
            Assert.That(ticket["external"]!["id"]!.GetValue<string>(), Is.EqualTo("42"));
            var statuses = ticket["history"]!.AsArray().Select(h => h!["status"]!.GetValue<string>()).ToList();
            Assert.That(statuses[^1], Is.EqualTo(HubStatuses.Resolved), "no history entry says forwarded after resolved");
        });
    }

    [Test]
    public async Task A_stale_failure_racing_the_forwarding_is_dropped()
    {
        var (id, reference) = await Tickets.RoutedAsync(ExternalTools.Glpi);

        var forwarding = Hold(() => Lifecycle.ForwardedAsync(
            new TicketForwarded(id, reference, ExternalTools.Glpi, "43", null, DateTimeOffset.UtcNow), CancellationToken.None));
        Assert.That(await forwarding.Changed, Is.True);

        var failing = Hold(() => Lifecycle.FailedAsync(id, "GLPI n'a pas accepté la demande.", "HTTP 400", CancellationToken.None));
        await WaitUntilBlockedAsync(failing.Changed);
        await forwarding.CommitAsync();
        Assert.That(await failing.Changed, Is.False, "decided again on the forwarded ticket: nothing to do");
        await failing.CommitAsync();

        var ticket = await Tickets.GetAsync(id);
        Assert.That(ticket["status"]!.GetValue<string>(), Is.EqualTo(HubStatuses.Forwarded));
        Assert.That(ticket["failureReason"], Is.Null);
    }

    [Test]
    public async Task A_reroute_decided_on_a_ticket_that_changed_since_is_not_written()
    {
        var (id, _) = await Tickets.RoutedAsync(ExternalTools.Glpi);
        var read = (await Units.RunAsync(() => TicketLifecycle.ReadStateAsync(id, CancellationToken.None), CancellationToken.None))!;

        // Meanwhile the tool says the ticket is being worked on.
        await Units.RunAsync(() => Lifecycle.ExternalStatusAsync(id, ExternalTools.Glpi, HubStatuses.InProgress, ToolTime, "GLPI : demande en cours de traitement.", null, CancellationToken.None),
            CancellationToken.None);

        var written = await Units.RunAsync(() => Lifecycle.TryRerouteAsync(id, read, RouteTargets.Pass, ExternalTools.Pass, null, "Réorientée.", "Réorientée.", CancellationToken.None),
            CancellationToken.None);

        Assert.That(written, Is.False);
        Assert.That((await Tickets.GetAsync(id))["status"]!.GetValue<string>(), Is.EqualTo(HubStatuses.InProgress));
    }

    private UnitOfWork Units => Factory.Services.GetRequiredService<UnitOfWork>();

    /// <summary>Runs <paramref name="change"/> in a unit of work of its own that stays open (its rows locked) until committed.</summary>
    private HeldUnit<T> Hold<T>(Func<Task<T>> change) => new(Units, change);

    private sealed class HeldUnit<T>
    {
        private readonly TaskCompletionSource<T> _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _committed;

        public HeldUnit(UnitOfWork units, Func<Task<T>> change) =>
            _committed = Task.Run(() => units.RunAsync(async () =>
            {
                try
                {
                    _changed.SetResult(await change());
                }
                catch (Exception ex)
                {
                    _changed.SetException(ex);
                    throw;
                }

                await _release.Task;
            }, CancellationToken.None));

        /// <summary>The change's result, before its unit of work commits.</summary>
        public Task<T> Changed => _changed.Task;

        public Task CommitAsync()
        {
            _release.SetResult();
            return _committed;
        }
    }

    /// <summary>Waits until a session of the test's database waits for a row lock (the second change), or <paramref name="change"/> ended.</summary>
    private async Task WaitUntilBlockedAsync(Task change)
    {
        await using var observer = await Factory.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!change.IsCompleted)
        {
            var waiting = await observer.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
            if (waiting > 0)
            {
                return;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the second change never waited for the row");
            await Task.Delay(20);
        }

        Assert.Fail($"the second change ended without waiting for the row: {change.Status}");
    }
}
