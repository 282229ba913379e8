using Microsoft.Data.Sqlite;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>
/// No SQL Server can run on the build machines, so its dialect is kept honest here: every statement
/// that SQL Server would run must parse as T-SQL, and every statement SQLite runs must compile
/// against a database made by that service's own SQLite migrations (tables and columns included).
/// </summary>
public class SqlDialectTests
{
    public static IEnumerable<TestCaseData> Projects() =>
        SqlStatements.ServiceProjects.Select(p => new TestCaseData(p).SetArgDisplayNames(Path.GetFileName(p)));

    [TestCaseSource(nameof(Projects))]
    public void Every_SQL_Server_statement_parses_as_T_SQL(string project)
    {
        var statements = SqlStatements.Constants(project).Where(s => !SqlStatements.IsSqliteOnly(s))
            .Concat(SqlStatements.Migrations(project, "SqlServer").Select(f => new SqlStatements.Statement(project, Path.GetFileName(f), File.ReadAllText(f))))
            .ToList();

        Assert.That(statements, Is.Not.Empty, "no SQL found: the naming convention (…Sql constants, Migrations/SqlServer) was not followed");
        var failures = new List<string>();
        foreach (var statement in statements)
        {
            var parser = new TSql160Parser(initialQuotedIdentifiers: true);
            parser.Parse(new StringReader(statement.Sql), out var errors);
            failures.AddRange(errors.Select(e => $"{statement}: line {e.Line}: {e.Message}"));
        }

        Assert.That(failures, Is.Empty);
    }

    [TestCaseSource(nameof(Projects))]
    public void Every_SQLite_statement_compiles_against_the_migrated_schema(string project)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var migrations = SqlStatements.Migrations("services/TicketHub.ServiceDefaults", "Sqlite")
            .Concat(project.EndsWith("ServiceDefaults", StringComparison.Ordinal) ? [] : SqlStatements.Migrations(project, "Sqlite"));
        foreach (var file in migrations)
        {
            using var migrate = connection.CreateCommand();
            migrate.CommandText = File.ReadAllText(file);
            migrate.ExecuteNonQuery();
        }

        var statements = SqlStatements.Constants(project).Where(s => !SqlStatements.IsSqlServerOnly(s)).ToList();
        Assert.That(statements, Is.Not.Empty);
        var failures = new List<string>();
        foreach (var statement in statements)
        {
            try
            {
                using var command = connection.CreateCommand();
                command.CommandText = statement.Sql;
                command.Prepare();
            }
            catch (SqliteException ex)
            {
                failures.Add($"{statement}: {ex.Message}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [TestCaseSource(nameof(Projects))]
    public void Both_dialects_have_the_same_migrations(string project)
    {
        var sqlite = SqlStatements.Migrations(project, "Sqlite").Select(Path.GetFileName);
        var sqlServer = SqlStatements.Migrations(project, "SqlServer").Select(Path.GetFileName);

        Assert.That(sqlServer, Is.EqualTo(sqlite));
    }
}
