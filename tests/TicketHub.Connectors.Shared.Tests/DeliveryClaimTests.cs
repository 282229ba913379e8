using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>
/// Two replicas of a connector on one PostgreSQL database receive the same ticket (a duplicate
/// message): one delivers it, the other waits for the outcome instead of creating it a second time in
/// the tool (issue 13). A replica that died while delivering holds the ticket only until its claim expires.
/// </summary>
public sealed class DeliveryClaimTests
{
    [Test]
    public async Task A_ticket_one_replica_is_delivering_is_not_delivered_by_another_until_the_first_records_it()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "claim");
        using var first = await Replica.StartAsync(database);
        using var second = await Replica.StartAsync(database);
        var ticketId = Guid.NewGuid();

        var attempt = await Replica.Ledger(first).BeginAttemptAsync(ticketId, "TH-2026-000501", CancellationToken.None);
        Assert.That(attempt.IsRetry, Is.False);

        await Assert.ThrowsAsync<TicketBeingDeliveredElsewhereException>(() =>
            Replica.Ledger(second).BeginAttemptAsync(ticketId, "TH-2026-000501", CancellationToken.None));

        await Replica.Ledger(first).MarkCreatedAsync(
            new TicketForwarded(ticketId, "TH-2026-000501", ExternalTools.Pass, "PASS-9", null, DateTimeOffset.UtcNow), null, CancellationToken.None);
        var later = await Replica.Ledger(second).BeginAttemptAsync(ticketId, "TH-2026-000501", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(later.State, Is.EqualTo(ExternalTicketState.Created), "the second finds it delivered");
            Assert.That(later.ExternalId, Is.EqualTo("PASS-9"));
        });
    }

    [Test]
    public async Task A_claim_whose_replica_died_expires_and_the_next_attempt_is_a_retry()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "claim");
        using var dead = await Replica.StartAsync(database);
        using var survivor = await Replica.StartAsync(database);
        var ticketId = Guid.NewGuid();
        await Replica.Ledger(dead).BeginAttemptAsync(ticketId, "TH-2026-000502", CancellationToken.None);

        var afterExpiry = new ShiftedClock(DeliveryLedger.ClaimDuration + TimeSpan.FromSeconds(1));
        var attempt = await Replica.Ledger(survivor, afterExpiry).BeginAttemptAsync(ticketId, "TH-2026-000502", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(attempt.IsRetry, Is.True, "the tool may hold the ticket: the connector looks there first");
            Assert.That(attempt.State, Is.EqualTo(ExternalTicketState.Creating));
        });
    }

    [Test]
    public async Task The_same_replica_may_try_again_at_once_after_a_failed_call()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "claim");
        using var replica = await Replica.StartAsync(database);
        var ledger = Replica.Ledger(replica);
        var ticketId = Guid.NewGuid();
        await ledger.BeginAttemptAsync(ticketId, "TH-2026-000503", CancellationToken.None);

        var again = await ledger.BeginAttemptAsync(ticketId, "TH-2026-000503", CancellationToken.None);

        Assert.That(again.IsRetry, Is.True);
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
