using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>
/// The connector as it runs, on a SQLite file of its own, with MassTransit's in-memory test harness
/// in place of RabbitMQ and WireMock's GLPI in place of the infogérant's.
/// </summary>
internal sealed class ConnectorApp : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tickethub-tests", "connectors-glpi-" + Guid.NewGuid().ToString("N"));

    public ConnectorApp() => Directory.CreateDirectory(_directory);

    public string ConnectionString => $"Data Source={Path.Combine(_directory, "connectors-glpi.db")}";

    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = ConnectionString,
            ["Glpi:BaseUrl"] = GlpiServers.Glpi.ApiUrl,
            ["Glpi:PublicUrl"] = "https://glpi.example",
            ["Glpi:AppToken"] = FakeGlpi.AppToken,
            ["Glpi:UserToken"] = FakeGlpi.UserToken,
            ["Glpi:Timeout"] = "00:00:05",
            ["Glpi:Mapping:DefaultEntityId"] = "1",
            ["Glpi:Mapping:Entities:0931234X"] = "12",
            ["Glpi:Mapping:Categories:imprimante"] = "7",
        }));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services => services.AddMassTransitTestHarness(bus =>
            bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(30), testInactivityTimeout: TimeSpan.FromSeconds(5))));
    }

    /// <summary>The row of <c>external_tickets</c> for <paramref name="ticketId"/>: state, external_id, attempts.</summary>
    public async Task<(string State, string? ExternalId, long Attempts, string? LastError)?> ExternalTicketAsync(Guid ticketId)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, external_id, attempts, last_error FROM external_tickets WHERE ticket_id = $id";
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }

    /// <summary>Leaves the trace of an attempt that died before knowing whether GLPI created the ticket.</summary>
    public async Task RecordUnfinishedAttemptAsync(Guid ticketId, string reference)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO external_tickets (ticket_id, reference, external_id, state, attempts, created_at, updated_at)
            VALUES ($id, $reference, NULL, 'creating', 1, '2026-11-20T09:15:03.0000000Z', '2026-11-20T09:15:03.0000000Z')
            """;
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        command.Parameters.AddWithValue("$reference", reference);
        await command.ExecuteNonQueryAsync();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        TicketHub.Testing.TempFolder.Delete(_directory);
    }
}
