using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace TicketHub.Intake.Tests;

/// <summary>Intake on a temporary SQLite file, with MassTransit's in-memory harness in place of RabbitMQ.</summary>
public sealed class IntakeFactory : WebApplicationFactory<Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tickethub-intake-tests", Guid.NewGuid().ToString("N"));

    public string ConnectionString => $"Data Source={Path.Combine(_folder, "intake.db")}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("Outbox:PollInterval", "00:00:00.200");
        builder.ConfigureServices(services => services.AddMassTransitTestHarness());
    }

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
