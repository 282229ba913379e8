using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TicketHub.ServiceDefaults.Data;

internal sealed class DbConnectionFactory : IDbConnectionFactory, IAsyncDisposable, IDisposable
{
    private readonly DatabaseOptions _options;

    // PostgreSQL: one data source per process (its pool, its prepared-statement cache).
    private readonly NpgsqlDataSource? _postgres;

    private readonly string? _sqlServer;

    public DbConnectionFactory(IOptions<DatabaseOptions> options)
    {
        _options = options.Value;
        Dialect = new SqlDialect(_options.Provider);
        if (_options.Provider == DatabaseProvider.Sqlite)
        {
            TryEnsureSqliteFolder(_options.ConnectionString);
        }
        else if (_options.Provider == DatabaseProvider.SqlServer)
        {
            _sqlServer = new SqlConnectionStringBuilder(_options.ConnectionString) { MaxPoolSize = _options.MaxPoolSize }.ConnectionString;
        }
        else if (_options.Provider == DatabaseProvider.PostgreSql)
        {
            _postgres = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_options.ConnectionString) { MaxPoolSize = _options.MaxPoolSize });
        }
    }

    public SqlDialect Dialect { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = _options.Provider switch
        {
            DatabaseProvider.SqlServer => new SqlConnection(_sqlServer),
            DatabaseProvider.PostgreSql => _postgres!.CreateConnection(),
            _ => new SqliteConnection(_options.ConnectionString),
        };
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (_options.Provider == DatabaseProvider.Sqlite)
            {
                // Several writers share one file (API requests, outbox relay, consumers): wait for
                // the lock rather than failing with SQLITE_BUSY.
                await connection.ExecuteAsync("PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;");
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _postgres?.DisposeAsync() ?? ValueTask.CompletedTask;

    public void Dispose() => _postgres?.Dispose();

    /// <summary>
    /// Creates the SQLite file's folder if it is missing; when that is impossible (a read-only or
    /// missing volume), opening fails later and the service reports not ready instead of crashing.
    /// </summary>
    internal static void TryEnsureSqliteFolder(string connectionString)
    {
        try
        {
            EnsureSqliteFolder(connectionString);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Reported by the readiness check and the migrator, which keeps trying.
        }
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrWhiteSpace(dataSource) || dataSource == ":memory:")
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }
}
