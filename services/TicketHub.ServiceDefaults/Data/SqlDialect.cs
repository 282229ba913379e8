using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace TicketHub.ServiceDefaults.Data;

/// <summary>
/// The one place where SQLite and SQL Server differ. Statements are written once in the common
/// subset whenever possible; the rest come in pairs, chosen here.
/// </summary>
/// <remarks>
/// Naming convention checked by the SQL tests: a constant whose name ends in <c>Sql</c> is shared by
/// both databases and must parse as T-SQL; <c>…SqliteSql</c> is SQLite only; <c>…SqlServerSql</c> is
/// SQL Server only and must parse as T-SQL.
/// </remarks>
public sealed class SqlDialect(DatabaseProvider provider)
{
    public DatabaseProvider Provider { get; } = provider;

    public string Pick(string sqlite, string sqlServer) =>
        Provider == DatabaseProvider.SqlServer ? sqlServer : sqlite;

    /// <summary>Folder of the embedded migration scripts for this provider.</summary>
    public string MigrationFolder => Provider == DatabaseProvider.SqlServer ? "SqlServer" : "Sqlite";

    /// <summary>Whether <paramref name="exception"/> is a unique-key or primary-key violation.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        SqlException sqlServer => sqlServer.Number is 2601 or 2627,
        _ => false,
    };
}
