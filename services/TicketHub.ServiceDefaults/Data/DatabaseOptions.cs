using System.ComponentModel.DataAnnotations;

namespace TicketHub.ServiceDefaults.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Bound from the <c>Database</c> section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (embedded default) or <c>SqlServer</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// ADO.NET connection string. For SQLite, e.g. <c>Data Source=.data/intake.db</c>; the folder is
    /// created when missing.
    /// </summary>
    [Required(ErrorMessage = "Database:ConnectionString is required (e.g. 'Data Source=.data/intake.db').")]
    public string ConnectionString { get; set; } = "";
}
