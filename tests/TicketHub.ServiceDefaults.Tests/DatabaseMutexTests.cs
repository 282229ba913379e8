using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>
/// A named lock across the replicas sharing one PostgreSQL database (issue 13): used where work of
/// one replica must not interleave with another's, such as a write to iTop's public log and the sync
/// that reads it.
/// </summary>
public sealed class DatabaseMutexTests
{
    [Test]
    public async Task A_second_replica_waits_for_the_lock_until_the_first_gives_it_back()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "mutex");
        using var first = await StartReplicaAsync(database);
        using var second = await StartReplicaAsync(database);

        var held = await MutexOf(first).TakeAsync("public-log", CancellationToken.None);
        var waiting = MutexOf(second).TakeAsync("public-log", CancellationToken.None);
        var other = await MutexOf(second).TakeAsync("another-name", CancellationToken.None);

        await Task.Delay(500);
        Assert.That(waiting.IsCompleted, Is.False, "the second replica took a lock the first holds");
        held!.Dispose();
        using var then = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(then, Is.Not.Null);
        other!.Dispose();

        await first.StopAsync();
        await second.StopAsync();
    }

    [Test]
    public async Task A_lock_whose_holder_lost_its_connection_is_free_again()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "mutex-dead");
        using var first = await StartReplicaAsync(database);
        using var second = await StartReplicaAsync(database);

        _ = await MutexOf(first).TakeAsync("public-log", CancellationToken.None);
        var waiting = MutexOf(second).TakeAsync("public-log", CancellationToken.None);
        await Task.Delay(300);
        Assert.That(waiting.IsCompleted, Is.False);

        // The holder's process dies: the server ends its sessions, as it does for a closed socket.
        await using (var admin = new Npgsql.NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new Npgsql.NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()", admin);
            await kill.ExecuteNonQueryAsync();
        }

        using var then = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(then, Is.Not.Null);
        await second.StopAsync();
    }

    [Test]
    public async Task On_sqlite_there_is_nothing_to_take()
    {
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite, "mutex-sqlite");
        using var replica = await StartReplicaAsync(database);

        Assert.That(await MutexOf(replica).TakeAsync("public-log", CancellationToken.None), Is.Null);
        await replica.StopAsync();
    }

    private static DatabaseMutex MutexOf(IHost replica) => replica.Services.GetRequiredService<DatabaseMutex>();

    private static Task<IHost> StartReplicaAsync(TestDatabase database) =>
        ReplicaHost.StartAsync(database, typeof(DatabaseMutexTests).Assembly);
}
