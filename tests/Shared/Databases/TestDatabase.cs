using System.Diagnostics;
using Npgsql;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Testing;

/// <summary>
/// A test's own empty database on <see cref="Provider"/>: a SQLite file in a temporary folder, or a
/// database of its own on TicketHub's PostgreSQL server (<c>deploy/postgres.sh</c>, started on first
/// use, as <c>tests/run.sh</c> and <c>deploy/run.sh --postgres</c> do). Dropped when disposed.
/// </summary>
internal sealed class TestDatabase : IDisposable
{
    private static readonly Lazy<string> Server = new(StartServer, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string? _folder;
    private readonly string? _postgresName;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? folder, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _folder = folder;
        _postgresName = postgresName;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The settings that point a service at this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Database:Provider", Provider.ToString()),
        new("Database:ConnectionString", ConnectionString),
    ];

    /// <param name="label">Part of the SQLite file's or PostgreSQL database's name (letters and digits).</param>
    public static TestDatabase Create(DatabaseProvider provider, string label)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "tickethub-tests", $"{label}-{suffix}");
            Directory.CreateDirectory(folder);
            return new TestDatabase(provider, $"Data Source={Path.Combine(folder, label + ".db")}", folder, null);
        }

        if (provider != DatabaseProvider.PostgreSql)
        {
            throw new NotSupportedException($"No {provider} server runs on this machine.");
        }

        var name = $"t_{label.ToLowerInvariant().Replace('-', '_')}_{suffix}";
        using (var connection = new NpgsqlConnection(Server.Value))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE {name}";
            create.ExecuteNonQuery();
        }

        var builder = new NpgsqlConnectionStringBuilder(Server.Value) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, null, name);
    }

    public void Dispose()
    {
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempFolder.Delete(_folder);
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(Server.Value);
        connection.Open();
        using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                drop.ExecuteNonQuery();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                // An autovacuum worker (the server's own role, which the tests' role may not end) is
                // in the database for a moment: FORCE cannot end it, so wait for it to finish.
                Thread.Sleep(250);
            }
        }
    }

    /// <summary>Starts the server if needed; the connection string of its <c>tickethub_tests</c> database.</summary>
    private static string StartServer()
    {
        var script = Path.Combine(TicketHub.Testing.Repository.Root, "deploy", "postgres.sh");
        var start = new ProcessStartInfo(script, ["connection-string", "tickethub_tests"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {script}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0 || output.Length == 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {stderr.Result}");
        }

        return output;
    }
}
