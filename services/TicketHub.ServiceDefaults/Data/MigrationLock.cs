using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Npgsql;

namespace TicketHub.ServiceDefaults.Data;

/// <summary>
/// Held while a service applies its migrations, so that replicas starting together on one server
/// database migrate one after the other (the second finds nothing left to do). A session lock on a
/// connection of its own: it is released when the connection closes, even if the process dies.
/// SQLite needs none: one process per file.
/// </summary>
internal sealed class MigrationLock : IDisposable
{
    // An application lock name: the same for every service sharing one database.
    private const string Name = "tickethub-migrations";

    private const string TakePostgreSqlSql = "SELECT pg_advisory_lock(hashtext(@Name))";

    private const string TakeSqlServerSql = "EXEC sp_getapplock @Resource = @Name, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1";

    private readonly DbConnection? _connection;

    private MigrationLock(DbConnection? connection) => _connection = connection;

    public static MigrationLock Take(DatabaseOptions options)
    {
        // Not pooled: closing the connection must end the session, and so release the lock (a pooled
        // connection would keep the session, and the lock, for the pool's idle lifetime).
        DbConnection? connection = options.Provider switch
        {
            DatabaseProvider.PostgreSql => new NpgsqlConnection(new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ConnectionString),
            DatabaseProvider.SqlServer => new SqlConnection(new SqlConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ConnectionString),
            _ => null,
        };
        if (connection is null)
        {
            return new MigrationLock(null);
        }

        try
        {
            connection.Open();
            connection.Execute(options.Provider == DatabaseProvider.PostgreSql ? TakePostgreSqlSql : TakeSqlServerSql, new { Name }, commandTimeout: 0);
            return new MigrationLock(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => _connection?.Dispose();
}
