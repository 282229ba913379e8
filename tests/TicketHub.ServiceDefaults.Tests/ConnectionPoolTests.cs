using Microsoft.Extensions.DependencyInjection;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>
/// Each replica keeps to its share of the server's connections (<c>Database:MaxPoolSize</c>): under a
/// burst a request waits for a free connection instead of taking one more from the server, which
/// refuses every service once its <c>max_connections</c> are gone.
/// </summary>
public sealed class ConnectionPoolTests
{
    [Test]
    public async Task A_replica_opens_no_more_connections_than_its_pool_size_and_the_next_request_waits_for_one()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "pool");
        using var replica = await ReplicaHost.StartAsync(database, typeof(ConnectionPoolTests).Assembly,
            new Dictionary<string, string?> { ["Database:MaxPoolSize"] = "2" });
        var connections = replica.Services.GetRequiredService<IDbConnectionFactory>();

        await using var first = await connections.OpenAsync(CancellationToken.None);
        var second = await connections.OpenAsync(CancellationToken.None);
        var third = connections.OpenAsync(CancellationToken.None);
        await Task.Delay(500);
        Assert.That(third.IsCompleted, Is.False, "a third connection was opened beyond the pool's size");

        await second.DisposeAsync();
        await using var then = await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(then.State, Is.EqualTo(System.Data.ConnectionState.Open));
        await replica.StopAsync();
    }
}
