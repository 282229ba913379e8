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
        await using var first = await Factory.OpenAsync();
        await using var resolving = await first.BeginTransactionAsync();
        Assert.That(await Lifecycle.ExternalStatusAsync(resolving, id, ExternalTools.Glpi, HubStatuses.Resolved, ToolTime, "GLPI : demande résolue.", CancellationToken.None), Is.True);

        // TicketForwarded, read on the routed ticket, must wait for the row, then decide again.
        await using var second = await Factory.OpenAsync();
        await using var forwarding = await second.BeginTransactionAsync();
        var forwarded = Task.Run(() => Lifecycle.ForwardedAsync(forwarding,
            new TicketForwarded(id, reference, ExternalTools.Glpi, "42", "https://glpi.example/ticket/42", DateTimeOffset.UtcNow), CancellationToken.None));
        await WaitUntilBlockedAsync(forwarded);
        await resolving.CommitAsync();
        Assert.That(await forwarded, Is.True, "the external ticket is still recorded");
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

        await using var first = await Factory.OpenAsync();
        await using var forwarding = await first.BeginTransactionAsync();
        Assert.That(await Lifecycle.ForwardedAsync(forwarding,
            new TicketForwarded(id, reference, ExternalTools.Glpi, "43", null, DateTimeOffset.UtcNow), CancellationToken.None), Is.True);

        await using var second = await Factory.OpenAsync();
        await using var failing = await second.BeginTransactionAsync();
        var failed = Task.Run(() => Lifecycle.FailedAsync(failing, id, "GLPI n'a pas accepté la demande.", "HTTP 400", CancellationToken.None));
        await WaitUntilBlockedAsync(failed);
        await forwarding.CommitAsync();
        Assert.That(await failed, Is.False, "decided again on the forwarded ticket: nothing to do");
        await failing.CommitAsync();

        var ticket = await Tickets.GetAsync(id);
        Assert.That(ticket["status"]!.GetValue<string>(), Is.EqualTo(HubStatuses.Forwarded));
        Assert.That(ticket["failureReason"], Is.Null);
    }

    [Test]
    public async Task A_reroute_decided_on_a_ticket_that_changed_since_is_not_written()
    {
        var (id, _) = await Tickets.RoutedAsync(ExternalTools.Glpi);
        await using var connection = await Factory.OpenAsync();
        await using var reading = await connection.BeginTransactionAsync();
        var read = (await TicketLifecycle.ReadStateAsync(reading, id, CancellationToken.None))!;
        await reading.CommitAsync();

        // Meanwhile the tool says the ticket is being worked on.
        await using (var other = await connection.BeginTransactionAsync())
        {
            await Lifecycle.ExternalStatusAsync(other, id, ExternalTools.Glpi, HubStatuses.InProgress, ToolTime, "GLPI : demande en cours de traitement.", CancellationToken.None);
            await other.CommitAsync();
        }

        await using var rerouting = await connection.BeginTransactionAsync();
        var written = await Lifecycle.TryRerouteAsync(rerouting, id, read, RouteTargets.Pass, ExternalTools.Pass, null, "Réorientée.", "Réorientée.", CancellationToken.None);
        await rerouting.CommitAsync();

        Assert.That(written, Is.False);
        Assert.That((await Tickets.GetAsync(id))["status"]!.GetValue<string>(), Is.EqualTo(HubStatuses.InProgress));
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
