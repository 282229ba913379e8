using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Hosting;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>
/// Replicas of one consumer on one PostgreSQL database (issue 13): a message that reaches two of them
/// at once (the broker redelivers it after a lost connection while the first is still working) has its
/// effect once, the inbox record being the claim, not only within one process.
/// </summary>
public sealed class InboxReplicaTests
{
    [SetUp]
    public void SetUp() => SlowEffectConsumer.Reset();

    [Test]
    public async Task A_message_delivered_to_two_replicas_at_the_same_instant_has_its_effect_once()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "inbox");
        using var first = await StartReplicaAsync(database);
        using var second = await StartReplicaAsync(database);
        var messageId = NewId.NextGuid();

        var comment = Comment();
        await Task.WhenAll(
            first.Services.GetTestHarness().Bus.Publish(comment, context => context.MessageId = messageId),
            second.Services.GetTestHarness().Bus.Publish(comment, context => context.MessageId = messageId));

        await WaitUntilAsync(() => SlowEffectConsumer.Outcomes.Count == 2, "both replicas consumed the message");
        Assert.Multiple(() =>
        {
            Assert.That(SlowEffectConsumer.Started, Is.EqualTo(1), "the tool was written to by one replica only");
            Assert.That(SlowEffectConsumer.Outcomes.Order(), Is.EqualTo(new[] { false, true }), "one replica processed it, the other found it processed");
        });

        await first.StopAsync();
        await second.StopAsync();
    }

    [Test]
    public async Task A_replica_that_fails_half_way_leaves_the_message_to_the_other()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "inbox-fail");
        using var first = await StartReplicaAsync(database);
        using var second = await StartReplicaAsync(database);
        var messageId = NewId.NextGuid();
        SlowEffectConsumer.FailFirst = true;

        var comment = Comment();
        await Task.WhenAll(
            first.Services.GetTestHarness().Bus.Publish(comment, context => context.MessageId = messageId),
            second.Services.GetTestHarness().Bus.Publish(comment, context => context.MessageId = messageId));

        await WaitUntilAsync(() => SlowEffectConsumer.Succeeded == 1, "the message was processed by the replica that did not fail");
        Assert.That(SlowEffectConsumer.Started, Is.EqualTo(2), "the failed attempt's claim was given back and taken");

        await first.StopAsync();
        await second.StopAsync();
    }

    private static Task<IHost> StartReplicaAsync(TestDatabase database) =>
        // No retry policy on this consumer: the failed attempt is not repeated, what is measured is what the other replica does.
        ReplicaHost.StartAsync(database, typeof(InboxReplicaTests).Assembly, bus: bus => bus.AddConsumer<SlowEffectConsumer>());

    private static TicketCommentAdded Comment() =>
        new(Guid.NewGuid(), "TH-2026-000777", Guid.NewGuid(), "La salle 12 n'a toujours pas de réseau.", "Secrétariat",
            DateTimeOffset.UtcNow, ExternalTools.Glpi, "77");

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}

/// <summary>A consumer whose effect (a call to a tool, here a wait) takes long enough for the other replica to arrive.</summary>
public sealed class SlowEffectConsumer(IInbox inbox) : IConsumer<TicketCommentAdded>
{
    private static int _started;
    private static int _succeeded;

    public static ConcurrentQueue<bool> Outcomes { get; } = new();

    public static int Started => _started;

    public static int Succeeded => _succeeded;

    public static bool FailFirst { get; set; }

    public static void Reset()
    {
        _started = 0;
        _succeeded = 0;
        Outcomes.Clear();
        FailFirst = false;
    }

    public async Task Consume(ConsumeContext<TicketCommentAdded> context)
    {
        var processed = await inbox.ProcessOnceAsync<SlowEffectConsumer>(context, async () =>
        {
            var attempt = Interlocked.Increment(ref _started);
            await Task.Delay(TimeSpan.FromMilliseconds(500), context.CancellationToken);
            if (FailFirst && attempt == 1)
            {
                throw new InvalidOperationException("The tool refused the follow-up.");
            }

            Interlocked.Increment(ref _succeeded);
        });
        Outcomes.Enqueue(processed);
    }
}
