using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// The connector as it runs, on a SQLite file of its own, with MassTransit's in-memory test harness
/// in place of RabbitMQ and WireMock's iTop in place of the infogérant's. Given the folder of an
/// earlier instance, it starts again on that instance's database, as after a restart.
/// </summary>
internal sealed class ConnectorApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDirectory;

    public ConnectorApp(Dictionary<string, string?>? settings = null, string? directory = null, Action<IServiceCollection>? services = null)
    {
        _ownsDirectory = directory is null;
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "tickethub-tests", "connectors-itop-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = ConnectionString,
            ["Itop:BaseUrl"] = ItopServers.Itop.ApiUrl,
            ["Itop:PublicUrl"] = "https://itop.example",
            ["Itop:AuthUser"] = FakeItop.AuthUser,
            ["Itop:AuthPassword"] = FakeItop.AuthPassword,
            ["Itop:Timeout"] = "00:00:02",
            ["Itop:Mapping:DefaultOrgId"] = "1",
            ["Itop:Mapping:Orgs:0931234X"] = "12",
            ["Itop:Mapping:CallerId"] = "34",
            ["Itop:Mapping:Services:imprimante"] = "7",
            ["Itop:Sync:Interval"] = "00:00:00.1",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    /// <summary>Where the database lives; give it to a new instance to restart on it.</summary>
    public string Directory { get; }

    public string ConnectionString => $"Data Source={Path.Combine(Directory, "connectors-itop.db")}";

    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness(bus =>
                bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(1)));
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

    /// <summary>The row of <c>external_tickets</c> for <paramref name="ticketId"/>.</summary>
    public async Task<ExternalTicketRow?> ExternalTicketAsync(Guid ticketId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT state, itop_id, attempts, last_error, itop_status, itop_last_update, log_entries, moved_at IS NOT NULL, closed_at IS NOT NULL
            FROM external_tickets WHERE ticket_id = $id
            """;
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new ExternalTicketRow(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetInt32(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt32(6),
                reader.GetBoolean(7),
                reader.GetBoolean(8))
            : null;
    }

    /// <summary>Leaves the trace of an attempt that died before knowing whether iTop created the request.</summary>
    public Task RecordUnfinishedAttemptAsync(Guid ticketId, string reference) => ExecuteAsync("""
        INSERT INTO external_tickets (ticket_id, reference, itop_id, state, attempts, log_entries, created_at, updated_at)
        VALUES ($id, $reference, NULL, 'creating', 1, 0, '2024-11-20T09:15:03.0000000Z', '2024-11-20T09:15:03.0000000Z')
        """, ticketId, reference);

    /// <summary>A request the connector created earlier: new, last read at <paramref name="lastUpdate"/>, with <paramref name="logEntries"/> entries seen.</summary>
    public Task RecordCreatedAsync(Guid ticketId, string reference, int itopId, string status = "new", string lastUpdate = "2024-11-20 10:15:03", int logEntries = 0) =>
        ExecuteAsync($"""
            INSERT INTO external_tickets (ticket_id, reference, itop_id, state, attempts, itop_status, itop_last_update, log_entries, created_at, updated_at)
            VALUES ($id, $reference, {itopId}, 'created', 1, '{status}', '{lastUpdate}', {logEntries}, '2024-11-20T09:15:03.0000000Z', '2024-11-20T09:15:03.0000000Z')
            """, ticketId, reference);

    /// <summary>Records that the hub wrote entry <paramref name="index"/> of the request's public log, as <paramref name="userId"/>.</summary>
    public async Task RecordHubEntryAsync(Guid ticketId, int index, string userId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO hub_log_entries (ticket_id, entry_index, user_id, written_at) VALUES ($id, $index, $user, '2024-11-20T10:30:00.0000000Z')";
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        command.Parameters.AddWithValue("$index", index);
        command.Parameters.AddWithValue("$user", userId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The entries the hub recorded as its own: (index, user id).</summary>
    public async Task<IReadOnlyList<(int Index, string? UserId)>> HubEntriesAsync(Guid ticketId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT entry_index, user_id FROM hub_log_entries WHERE ticket_id = $id ORDER BY entry_index";
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<(int, string?)>();
        while (await reader.ReadAsync())
        {
            entries.Add((reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return entries;
    }

    /// <summary>The sync's cursor, as stored (UTC text), or null.</summary>
    public async Task<string?> SyncCursorAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_update FROM sync_cursor WHERE id = 1";
        return await command.ExecuteScalarAsync() as string;
    }

    private async Task ExecuteAsync(string sql, Guid ticketId, string reference)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        command.Parameters.AddWithValue("$reference", reference);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        // The host migrates the database as it starts.
        _ = Services;
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var wait = connection.CreateCommand();
        wait.CommandText = "PRAGMA busy_timeout = 10000;";
        await wait.ExecuteNonQueryAsync();
        return connection;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
        {
            TicketHub.Testing.TempFolder.Delete(Directory);
        }
    }
}

internal sealed record ExternalTicketRow(
    string State, int? ItopId, long Attempts, string? LastError, string? ItopStatus, string? ItopLastUpdate, int LogEntries, bool Moved, bool Closed);
