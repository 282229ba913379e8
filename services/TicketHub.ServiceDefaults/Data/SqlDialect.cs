using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TicketHub.ServiceDefaults.Data;

/// <summary>
/// The one place where SQLite, PostgreSQL and SQL Server differ. Statements are written once in the
/// common subset whenever possible; the rest come in variants, chosen here.
/// </summary>
/// <remarks>
/// Naming convention checked by the SQL tests: a constant whose name ends in <c>Sql</c> is shared by
/// every database and must parse as T-SQL; <c>…SqliteSql</c> is the <c>LIMIT</c> form, which SQLite and
/// PostgreSQL share unless a <c>…PostgreSqlSql</c> variant exists; <c>…SqlServerSql</c> is SQL Server only
/// and must parse as T-SQL. Every shared and PostgreSQL statement also runs on PostgreSQL in the tests.
/// </remarks>
public sealed class SqlDialect(DatabaseProvider provider)
{
    public DatabaseProvider Provider { get; } = provider;

    /// <summary>
    /// The statement for this database: <paramref name="sqlite"/> (the <c>LIMIT</c> form, also
    /// PostgreSQL's unless <paramref name="postgreSql"/> is given) or <paramref name="sqlServer"/>.
    /// </summary>
    public string Pick(string sqlite, string sqlServer, string? postgreSql = null) => Provider switch
    {
        DatabaseProvider.SqlServer => sqlServer,
        DatabaseProvider.PostgreSql => postgreSql ?? sqlite,
        _ => sqlite,
    };

    /// <summary>Folder of the embedded migration scripts for this provider.</summary>
    public string MigrationFolder => Provider switch
    {
        DatabaseProvider.SqlServer => "SqlServer",
        DatabaseProvider.PostgreSql => "PostgreSql",
        _ => "Sqlite",
    };

    /// <summary>Whether several processes may share this database (rows must be claimed, not just read).</summary>
    public bool IsServer => Provider != DatabaseProvider.Sqlite;

    /// <summary>Whether <paramref name="exception"/> is a unique-key or primary-key violation.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        SqlException sqlServer => sqlServer.Number is 2601 or 2627,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
