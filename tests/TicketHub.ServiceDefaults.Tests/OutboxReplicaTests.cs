using Dapper;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>
/// Replicas of one service on one PostgreSQL database (issue 13): they migrate it once however they
/// start, and every message written to the shared outbox is published once, by one of them.
/// </summary>
public sealed class OutboxReplicaTests
{
    private const int Messages = 600;

    [Test]
    public async Task Two_relays_sharing_one_outbox_publish_every_message_once()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "outbox");
        using var first = await StartReplicaAsync(database);
        using var second = await StartReplicaAsync(database);

        var written = await WriteAsync(first, Messages);
        var harnesses = new[] { first.Services.GetTestHarness(), second.Services.GetTestHarness() };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await UnsentAsync(database) > 0)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the relays never sent the whole outbox");
            await Task.Delay(100);
        }

        var published = harnesses.Select(h => h.Published.Select<TicketCommentAdded>().Select(m => m.Context.MessageId!.Value).ToList()).ToList();
        var all = published.SelectMany(ids => ids).ToList();
        TestContext.Progress.WriteLine($"Published by the first relay: {published[0].Count}, by the second: {published[1].Count}.");
        Assert.Multiple(() =>
        {
            Assert.That(all, Is.Unique, "a message published by both relays");
            Assert.That(all.Order(), Is.EqualTo(written.Order()), "every message published");
        });

        await first.StopAsync();
        await second.StopAsync();
    }

    [Test]
    public async Task Replicas_starting_together_on_an_empty_database_apply_each_migration_once()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "migrate");

        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartReplicaAsync(database)));

        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        var applied = (await connection.QueryAsync<string>("SELECT scriptname FROM schemaversions")).ToList();
        Assert.That(applied, Is.Not.Empty.And.Unique);
        foreach (var replica in replicas)
        {
            await replica.StopAsync();
            replica.Dispose();
        }
    }

    private static Task<IHost> StartReplicaAsync(TestDatabase database) =>
        ReplicaHost.StartAsync(database, typeof(OutboxReplicaTests).Assembly, new Dictionary<string, string?>
        {
            ["Outbox:PollInterval"] = "00:00:00.020",
            ["Outbox:BatchSize"] = "10",
        });

    /// <summary>Writes <paramref name="count"/> messages in one transaction, as a burst of requests would; their ids.</summary>
    private static async Task<IReadOnlyList<Guid>> WriteAsync(IHost replica, int count)
    {
        var units = replica.Services.GetRequiredService<UnitOfWork>();
        var outbox = replica.Services.GetRequiredService<IOutbox>();
        var ids = new List<Guid>();
        await units.RunAsync(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                var comment = new TicketCommentAdded(Guid.NewGuid(), $"TH-2026-{i:000000}", Guid.NewGuid(), $"Précision {i}", "Secrétariat",
                    DateTimeOffset.UtcNow, ExternalTools.Glpi, "1");
                ids.Add(await outbox.EnqueueAsync(comment, CancellationToken.None));
            }
        }, CancellationToken.None);
        return ids;
    }

    private static async Task<long> UnsentAsync(TestDatabase database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL");
    }
}
