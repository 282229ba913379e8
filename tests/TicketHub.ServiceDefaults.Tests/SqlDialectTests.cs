using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Npgsql;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>
/// No SQL Server can run on the build machines, so its dialect is kept honest here: every statement
/// that SQL Server would run must parse as T-SQL, and every statement SQLite or PostgreSQL runs must
/// compile against a database made by that service's own migrations (tables and columns included).
/// </summary>
public partial class SqlDialectTests
{
    public static IEnumerable<TestCaseData> Projects() =>
        SqlStatements.ServiceProjects.Select(p => new TestCaseData(p).SetArgDisplayNames(Path.GetFileName(p)));

    [TestCaseSource(nameof(Projects))]
    public void Every_SQL_Server_statement_parses_as_T_SQL(string project)
    {
        var statements = SqlStatements.Constants(project).Where(s => !SqlStatements.IsSqliteOnly(s) && !SqlStatements.IsPostgreSqlOnly(s))
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

        var statements = SqlStatements.Constants(project).Where(s => !SqlStatements.IsSqlServerOnly(s) && !SqlStatements.IsPostgreSqlOnly(s)).ToList();
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
    public void Every_PostgreSQL_statement_compiles_against_the_migrated_schema(string project)
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql, "dialect");
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        var migrations = SqlStatements.Migrations("services/TicketHub.ServiceDefaults", "PostgreSql")
            .Concat(project.EndsWith("ServiceDefaults", StringComparison.Ordinal) ? [] : SqlStatements.Migrations(project, "PostgreSql"));
        foreach (var file in migrations)
        {
            using var migrate = connection.CreateCommand();
            migrate.CommandText = File.ReadAllText(file);
            migrate.ExecuteNonQuery();
        }

        var statements = SqlStatements.ForPostgreSql(SqlStatements.Constants(project)).ToList();
        Assert.That(statements, Is.Not.Empty);
        var failures = new List<string>();
        foreach (var statement in statements)
        {
            // The server parses, resolves and types the statement without running it: PREPARE, with
            // Dapper's @names as positional parameters whose types the server infers.
            try
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"PREPARE checked AS {Positional(statement.Sql)}";
                command.ExecuteNonQuery();
                command.CommandText = "DEALLOCATE checked";
                command.ExecuteNonQuery();
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.IndeterminateDatatype or PostgresErrorCodes.AmbiguousParameter)
            {
                // A parameter whose type only its value tells (@X IS NULL OR …, INSERT … SELECT @X):
                // Npgsql sends every parameter's type at run time (DapperTypeHandlers types the nulls
                // too), which the store tests on PostgreSQL run. The statement is otherwise sound.
            }
            catch (PostgresException ex)
            {
                failures.Add($"{statement}: {ex.MessageText}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [TestCaseSource(nameof(Projects))]
    public void Every_dialect_has_the_same_migrations(string project)
    {
        var sqlite = SqlStatements.Migrations(project, "Sqlite").Select(Path.GetFileName).ToList();
        var sqlServer = SqlStatements.Migrations(project, "SqlServer").Select(Path.GetFileName);
        var postgreSql = SqlStatements.Migrations(project, "PostgreSql").Select(Path.GetFileName);

        Assert.Multiple(() =>
        {
            Assert.That(sqlServer, Is.EqualTo(sqlite), "SQL Server");
            Assert.That(postgreSql, Is.EqualTo(sqlite), "PostgreSQL");
        });
    }

    /// <summary>Dapper's <c>@Name</c> parameters as <c>$n</c> (one number per name); a list parameter (<c>IN @Ids</c>) as one value.</summary>
    private static string Positional(string sql)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var inList = InListParameter().Replace(sql, m => $"IN (@{m.Groups[1].Value})");
        return Parameter().Replace(inList, m =>
        {
            var name = m.Groups[1].Value;
            if (!numbers.TryGetValue(name, out var number))
            {
                number = numbers.Count + 1;
                numbers[name] = number;
            }

            return "$" + number;
        });
    }

    [GeneratedRegex(@"\bIN\s+@(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex InListParameter();

    [GeneratedRegex(@"(?<![@\w])@(\w+)")]
    private static partial Regex Parameter();
}
