using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>A service whose database does not answer starts anyway, not ready, and recovers by itself.</summary>
public sealed class DatabaseDownAtStartTests
{
    [Test]
    public async Task Starts_not_ready_then_migrates_and_becomes_ready_when_the_database_answers()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tickethub-tests", "db-down-" + Guid.NewGuid().ToString("N"));
        var missing = Path.Combine(folder, "volume");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(missing, "a file where the database's folder should be: the volume is not there");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "TicketHub.DbDown", EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The database's folder cannot be created (a file is in the way): the database is "down".
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(missing, "service.db")}",
        });
        builder.AddTicketHubDatabase(typeof(DatabaseDownAtStartTests).Assembly);
        builder.Services.AddMassTransitTestHarness();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var health = host.Services.GetRequiredService<HealthCheckService>();
            var state = host.Services.GetRequiredService<DatabaseState>();

            var before = await health.CheckHealthAsync(check => check.Tags.Contains("ready"));
            Assert.That(before.Status, Is.EqualTo(HealthStatus.Unhealthy), "not ready while the database does not answer");
            Assert.That(before.Entries["database"].Description, Is.EqualTo("La base de données n'est pas encore prête (elle ne répondait pas au démarrage)."));

            File.Delete(missing); // the volume is back
            await state.WaitUntilReadyAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

            var after = await health.CheckHealthAsync(check => check.Tags.Contains("ready"));
            Assert.That(after.Status, Is.EqualTo(HealthStatus.Healthy));
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(missing, "service.db")}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('outbox_messages', 'inbox_messages', 'scheduled_redeliveries', 'dead_letters')";
            Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(4L), "the migrations ran once it answered");
        }
        finally
        {
            await host.StopAsync();
            SqliteConnection.ClearAllPools();
            TicketHub.Testing.TempFolder.Delete(folder);
        }
    }
}
