using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace TicketHub.ServiceDefaults.Data;

internal sealed class DbConnectionFactory : IDbConnectionFactory
{
    private readonly DatabaseOptions _options;

    public DbConnectionFactory(IOptions<DatabaseOptions> options)
    {
        _options = options.Value;
        Dialect = new SqlDialect(_options.Provider);
        if (_options.Provider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteFolder(_options.ConnectionString);
        }
    }

    public SqlDialect Dialect { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = _options.Provider == DatabaseProvider.SqlServer
            ? new SqlConnection(_options.ConnectionString)
            : new SqliteConnection(_options.ConnectionString);
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
