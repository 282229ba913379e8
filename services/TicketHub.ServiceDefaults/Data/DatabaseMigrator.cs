using System.Reflection;
using DbUp;
using DbUp.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TicketHub.ServiceDefaults.Data;

/// <summary>
/// Applies the embedded migrations (shared outbox/inbox tables first, then the service's own
/// <c>Migrations/{Sqlite|SqlServer}/*.sql</c>) before anything else starts.
/// </summary>
internal sealed class DatabaseMigrator(
    IOptions<DatabaseOptions> options,
    IDbConnectionFactory connections,
    MigrationAssemblies assemblies,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = connections.Dialect.MigrationFolder;
        if (options.Value.Provider == DatabaseProvider.SqlServer)
        {
            EnsureDatabase.For.SqlDatabase(options.Value.ConnectionString);
        }
        else
        {
            EnableWriteAheadLog(options.Value.ConnectionString);
        }

        foreach (var assembly in assemblies.Assemblies)
        {
            var result = Builder(options.Value)
                .WithScriptsEmbeddedInAssembly(assembly, name => name.Contains($".Migrations.{folder}.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build()
                .PerformUpgrade();

            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Database migration '{result.ErrorScript?.Name}' of {assembly.GetName().Name} failed: {result.Error?.Message}",
                    result.Error);
            }

            foreach (var script in result.Scripts)
            {
                logger.LogInformation("Applied migration {Script}", script.Name);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static UpgradeEngineBuilder Builder(DatabaseOptions options) =>
        options.Provider == DatabaseProvider.SqlServer
            ? DeployChanges.To.SqlDatabase(options.ConnectionString)
            : DeployChanges.To.SqliteDatabase(options.ConnectionString);

    private static void EnableWriteAheadLog(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        command.ExecuteNonQuery();
    }
}

/// <summary>Assemblies whose embedded migrations are applied, in order.</summary>
internal sealed record MigrationAssemblies(IReadOnlyList<Assembly> Assemblies);
