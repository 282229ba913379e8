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
}
