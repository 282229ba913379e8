using System.ComponentModel.DataAnnotations;

namespace TicketHub.ServiceDefaults.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}

/// <summary>Bound from the <c>Database</c> section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>
    /// <c>Sqlite</c> (embedded default, one machine), <c>PostgreSql</c> (a server database, tested here;
    /// several replicas) or <c>SqlServer</c> (production option, syntax-checked only).
    /// </summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// ADO.NET connection string. For SQLite, e.g. <c>Data Source=.data/intake.db</c>; the folder is
    /// created when missing. For PostgreSQL, e.g. <c>Host=db;Database=intake;Username=…;Password=…</c>
    /// (the database is created when missing, if the role may).
    /// </summary>
    [Required(ErrorMessage = "Database:ConnectionString is required (e.g. 'Data Source=.data/intake.db').")]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// On a server database, the most connections one process (one replica) opens at once; a request
    /// beyond waits for a free one. The server must accept the sum over every replica of every service
    /// (PostgreSQL's <c>max_connections</c>), so each keeps to its share instead of taking up to
    /// ADO.NET's default of 100 under a burst and leaving the others refused (issue 13's benchmark:
    /// « too many clients » with two replicas of every service). Replaces the connection string's own.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "Database:MaxPoolSize must be between 1 and 1000.")]
    public int MaxPoolSize { get; set; } = 20;
}
