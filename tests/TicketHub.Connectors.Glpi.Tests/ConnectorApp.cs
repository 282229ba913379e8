using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TicketHub.Connectors.Glpi.Sync;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>
/// The connector as it runs, on a SQLite file of its own, with MassTransit's in-memory test harness
/// in place of RabbitMQ and WireMock's GLPI in place of the infogérant's.
/// </summary>
internal sealed class ConnectorApp : WebApplicationFactory<Program>
{
    private readonly string _directory;
    private readonly bool _ownsDirectory;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="directory">The folder of an earlier app's database, to restart on it; null for a new one, deleted with the app.</param>
    /// <param name="settings">Settings added to (or replacing) the defaults below.</param>
    /// <param name="services">Changes to the connector's services, made after its own.</param>
    public ConnectorApp(string? directory = null, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _ownsDirectory = directory is null;
        _directory = directory ?? Path.Combine(Path.GetTempPath(), "tickethub-tests", "connectors-glpi-" + Guid.NewGuid().ToString("N"));
        _settings = settings ?? [];
        _services = services;
        Directory.CreateDirectory(_directory);
    }

    /// <summary>A folder the test deletes itself (<see cref="TicketHub.Testing.TempFolder"/>), for apps restarted on one database.</summary>
    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "tickethub-tests", "connectors-glpi-" + Guid.NewGuid().ToString("N"));

    public string ConnectionString => $"Data Source={Path.Combine(_directory, "connectors-glpi.db")}";

    public CapturedLogs Logs { get; } = new();

    /// <summary>
    /// MassTransit's test harness of the started connector. Reading it starts the host, which starts
    /// each hosted service once: the bus, the outbox relay, the GLPI session. The harness's own
    /// <c>Start()</c> is not for a host that runs: it would start them all a second time.
    /// </summary>
    public ITestHarness Harness => Services.GetTestHarness();

    /// <summary>The status sync, to run one poll at a time.</summary>
    public GlpiStatusSync Sync => Services.GetRequiredService<GlpiStatusSync>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
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
            // Tests run the status sync by hand (GlpiStatusSync.PollOnceAsync), one poll at a time.
            ["Glpi:Sync:Enabled"] = "false",
        };
        foreach (var (key, value) in _settings)
        {
            settings[key] = value;
        }

        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness(bus =>
                bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(30), testInactivityTimeout: TimeSpan.FromSeconds(5)));
            _services?.Invoke(services);
        });
    }

    /// <summary>
    /// Starts the host on a flow of its own. MassTransit keeps its log context per asynchronous flow
    /// and sets it only where none is: started on the test's flow, a connector would leave its logger
    /// factory there, and the next connector of the test (a restart) would log through it once disposed.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => base.CreateHost(builder)).GetAwaiter().GetResult();
        }
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

    /// <summary>Records that the hub created <paramref name="reference"/> in GLPI as <paramref name="glpiId"/>, as the forwarder does.</summary>
    public async Task HoldsTicketAsync(Guid ticketId, string reference, int glpiId, DateTimeOffset createdAt)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO external_tickets (ticket_id, reference, external_id, state, attempts, created_at, updated_at, glpi_status, followup_count)
            VALUES ($id, $reference, $glpiId, 'created', 1, $at, $at, 1, 0)
            """;
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        command.Parameters.AddWithValue("$reference", reference);
        command.Parameters.AddWithValue("$glpiId", glpiId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$at", createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The stored search cursor (a GLPI date_mod), or null.</summary>
    public async Task<string?> CursorAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM sync_cursors";
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>ExternalTicketUpdated messages written to the outbox, sent or not.</summary>
    public async Task<long> UpdatesInOutboxAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(1) FROM outbox_messages WHERE message_type = 'TicketHub.Contracts.ExternalTicketUpdated'";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
        {
            TicketHub.Testing.TempFolder.Delete(_directory);
        }
    }
}
