using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>
/// A connector host as it runs (PASS's, or Omère's with <typeparamref name="TProgram"/>), on a SQLite
/// file of its own, with MassTransit's in-memory test harness in place of RabbitMQ. Given the folder
/// of an earlier instance, it starts again on that instance's database, as after a restart.
/// </summary>
internal sealed class ConnectorApp<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDirectory;

    private readonly Action<IServiceCollection>? _services;

    public ConnectorApp(string section, Dictionary<string, string?> settings, string? directory = null, Action<IServiceCollection>? services = null)
    {
        _services = services;
        _ownsDirectory = directory is null;
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "tickethub-tests", "connectors-tool-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        _settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = ConnectionString,
            [$"{section}:Http:Timeout"] = "00:00:02",
            [$"{section}:Sync:Enabled"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public string Directory { get; }

    public string ConnectionString => $"Data Source={Path.Combine(Directory, "connector.db")}";

    public LogLines Logs { get; } = new();

    public ITestHarness Harness => Services.GetTestHarness();

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

    /// <summary>A service of the running host, e.g. the sync to drive it by hand.</summary>
    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>(state, external_id, attempts, tool_status) of the ticket's row, or null.</summary>
    public async Task<(string State, string? ExternalId, long Attempts, string? ToolStatus)?> RowAsync(Guid ticketId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, external_id, attempts, tool_status FROM external_tickets WHERE ticket_id = $id";
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }

    /// <summary>Leaves the trace of an attempt that died before knowing whether the tool created the ticket.</summary>
    public Task RecordUnfinishedAttemptAsync(Guid ticketId, string reference) => ExecuteAsync(
        """
        INSERT INTO external_tickets (ticket_id, reference, external_id, state, attempts, created_at, updated_at)
        VALUES ($id, $reference, NULL, 'creating', 1, '2024-11-20T09:15:03.0000000Z', '2024-11-20T09:15:03.0000000Z')
        """, ticketId, reference);

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
        _ = Services; // the host migrates the database as it starts
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
