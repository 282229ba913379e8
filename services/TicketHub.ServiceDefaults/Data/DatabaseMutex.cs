using System.Data.Common;
using Dapper;

namespace TicketHub.ServiceDefaults.Data;

/// <summary>
/// A lock that the replicas sharing a server database take in turn, by name: a transaction-scoped
/// advisory lock (PostgreSQL <c>pg_advisory_xact_lock</c>, SQL Server <c>sp_getapplock</c>) on a
/// connection held until the lock is given back, so a replica that dies releases it with its
/// connection. On SQLite (one process per file) there is nobody to exclude: nothing is taken.
/// </summary>
public sealed class DatabaseMutex(IDbConnectionFactory connections)
{
    private const string TakePostgreSqlSql = "SELECT pg_advisory_xact_lock(hashtext(@Name))";

    private const string TakeSqlServerSql = "EXEC sp_getapplock @Resource = @Name, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = -1";

    /// <summary>Waits until this process holds <paramref name="name"/>; dispose to give it back. Null on SQLite.</summary>
    public async Task<IDisposable?> TakeAsync(string name, CancellationToken cancellationToken)
    {
        if (!connections.Dialect.IsServer)
        {
            return null;
        }

        var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var sql = connections.Dialect.Provider == DatabaseProvider.SqlServer ? TakeSqlServerSql : TakePostgreSqlSql;
            await connection.ExecuteAsync(new CommandDefinition(sql, new { Name = name }, transaction, commandTimeout: 0, cancellationToken: cancellationToken));
            return new Held(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ending the transaction (it wrote nothing) releases the lock.</summary>
    private sealed class Held(DbConnection connection, DbTransaction transaction) : IDisposable
    {
        public void Dispose()
        {
            transaction.Dispose();
            connection.Dispose();
        }
    }
}
