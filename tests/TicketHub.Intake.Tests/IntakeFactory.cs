using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tests;

/// <summary>
/// Intake on a temporary SQLite file, with MassTransit's in-memory harness in place of RabbitMQ,
/// trusting the test stand-in for the gateway (<see cref="TestIdentity"/>). Ticket creation is not
/// rate-limited unless <paramref name="settings"/> says so: the tests that are not about it create
/// many tickets as one user.
/// </summary>
public sealed class IntakeFactory(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tickethub-intake-tests", Guid.NewGuid().ToString("N"));

    public string ConnectionString => $"Data Source={Path.Combine(_folder, "intake.db")}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("Outbox:PollInterval", "00:00:00.200");
        builder.UseSetting("TicketCreation:RateLimit:PerPersonPerMinute", "100000");
        builder.UseSetting("TicketCreation:RateLimit:PerKeyPerSecond", "100000");
        foreach (var (key, value) in TestIdentity.ServiceSettings.Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddMassTransitTestHarness());
    }

    /// <summary>A client whose requests act as <paramref name="user"/> (a fresh token each), unless a request carries its own token; none for null.</summary>
    public HttpClient ClientFor(HubUser? user) => user is null ? CreateClient() : CreateDefaultClient(new FreshTokenHandler(user));

    public async Task<long> CountAsync(string table)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        TicketHub.Testing.TempFolder.Delete(_folder);
    }
}
