using System.Data.Common;
using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tests;

/// <summary>
/// Intake on a database of its own (a temporary SQLite file by default, or a PostgreSQL database:
/// <see cref="TestDatabase"/>), with MassTransit's in-memory harness in place of RabbitMQ,
/// trusting the test stand-in for the gateway (<see cref="TestIdentity"/>). Ticket creation is not
/// rate-limited unless <paramref name="settings"/> says so: the tests that are not about it create
/// many tickets as one user.
/// </summary>
public sealed class IntakeFactory(IReadOnlyDictionary<string, string?>? settings = null, DatabaseProvider provider = DatabaseProvider.Sqlite)
    : WebApplicationFactory<Program>
{
    private readonly TestDatabase _database = TestDatabase.Create(provider, "intake");

    public DatabaseProvider Provider => _database.Provider;

    public string ConnectionString => _database.ConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _database.Settings)
        {
            builder.UseSetting(key, value);
        }

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
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    /// <summary>A connection to intake's database, for what a test reads or plants directly.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Provider == DatabaseProvider.PostgreSql
            ? new NpgsqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _database.Dispose();
    }
}
