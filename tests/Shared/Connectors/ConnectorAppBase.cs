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

namespace TicketHub.Testing;

/// <summary>
/// A connector host as it runs (<typeparamref name="TProgram"/>), on a SQLite file of its own, with
/// MassTransit's in-memory test harness in place of RabbitMQ. Given the folder of an earlier
/// instance, it starts again on that instance's database, as after a restart; a folder it made
/// itself is deleted with it.
/// </summary>
internal abstract class ConnectorAppBase<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly TimeSpan _testTimeout;
    private readonly TimeSpan _inactivityTimeout;
    private readonly bool _ownsDirectory;

    /// <param name="name">The connector, in the names of its folder and database file.</param>
    /// <param name="directory">The folder of an earlier app's database, to restart on it; null for a new one.</param>
    /// <param name="defaults">The connector's settings for tests (the database's are added).</param>
    /// <param name="settings">Settings added to (or replacing) <paramref name="defaults"/>.</param>
    /// <param name="services">Changes to the connector's services, made after its own.</param>
    protected ConnectorAppBase(
        string name,
        string? directory,
        Dictionary<string, string?> defaults,
        IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection>? services,
        TimeSpan testTimeout,
        TimeSpan inactivityTimeout)
    {
        _ownsDirectory = directory is null;
        Directory = directory ?? NewDirectory(name);
        System.IO.Directory.CreateDirectory(Directory);
        ConnectionString = $"Data Source={Path.Combine(Directory, $"connectors-{name}.db")}";
        _services = services;
        _testTimeout = testTimeout;
        _inactivityTimeout = inactivityTimeout;
        _settings = new Dictionary<string, string?>(defaults) { ["Database:ConnectionString"] = ConnectionString };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>Where the database lives; give it to a new instance to restart on it.</summary>
    public string Directory { get; }

    public string ConnectionString { get; }

    public CapturedLogs Logs { get; } = new();

    /// <summary>
    /// MassTransit's test harness of the started connector. Reading it starts the host, which starts
    /// each hosted service once. The harness's own <c>Start()</c> is not for a host that runs: it
    /// would start them all a second time.
    /// </summary>
    public ITestHarness Harness => Services.GetTestHarness();

    /// <summary>A folder the test deletes itself (<see cref="TempFolder"/>), for apps restarted on one database.</summary>
    public static string NewDirectory(string name) =>
        Path.Combine(Path.GetTempPath(), "tickethub-tests", $"connectors-{name}-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Leaves the trace of an attempt that died before knowing whether the tool created the ticket
    /// (the connectors' common ledger: the same columns in every connector's database).
    /// </summary>
    public Task RecordUnfinishedAttemptAsync(Guid ticketId, string reference) => ExecuteAsync(
        """
        INSERT INTO external_tickets (ticket_id, reference, external_id, state, attempts, created_at, updated_at)
        VALUES ($id, $reference, NULL, 'creating', 1, '2026-11-20T09:15:03.0000000Z', '2026-11-20T09:15:03.0000000Z')
        """, ticketId, reference);

    /// <summary>The connector's record of a file (<c>sent_documents</c>, the same table in every connector's database), or null.</summary>
    public async Task<SentDocumentRow?> SentDocumentAsync(Guid attachmentId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, external_document_id, attempts, last_error FROM sent_documents WHERE attachment_id = $id";
        command.Parameters.AddWithValue("$id", attachmentId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new SentDocumentRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }

    /// <summary>How many <typeparamref name="T"/> the connector wrote to its outbox, sent or not.</summary>
    public async Task<long> InOutboxAsync<T>()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(1) FROM outbox_messages WHERE message_type = $type";
        command.Parameters.AddWithValue("$type", typeof(T).FullName);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness(bus =>
                bus.SetTestTimeouts(testTimeout: _testTimeout, testInactivityTimeout: _inactivityTimeout));
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

    /// <summary>Runs <paramref name="sql"/> with <c>$id</c> and <c>$reference</c> bound.</summary>
    protected async Task ExecuteAsync(string sql, Guid ticketId, string reference)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        command.Parameters.AddWithValue("$reference", reference);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A connection to the connector's database, which the host migrates as it starts.</summary>
    protected async Task<SqliteConnection> OpenAsync()
    {
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
            TempFolder.Delete(Directory);
        }
    }
}

/// <summary>A row of <c>sent_documents</c>: where one file of a ticket stands in the tool.</summary>
internal sealed record SentDocumentRow(string State, string? DocumentId, long Attempts, string? LastError);
