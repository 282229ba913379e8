using System.Reflection;
using DbUp;
using DbUp.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TicketHub.ServiceDefaults.Data;

/// <summary>
/// Whether the database answers and its migrations are applied. Consumers wait for it
/// (<see cref="Messaging.RedeliveryFilter{T}"/>), and <c>/health/ready</c> reports it.
/// </summary>
public sealed class DatabaseState
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    internal void MarkReady() => _ready.TrySetResult();
}

/// <summary>
/// Applies the embedded migrations (shared outbox/inbox tables first, then the service's own
/// <c>Migrations/{Sqlite|SqlServer}/*.sql</c>) as the service starts. When the database does not
/// answer, the service starts anyway, not ready, and the migrations are applied as soon as it does;
/// a migration script that fails is a bug and stops the start.
/// </summary>
internal sealed partial class DatabaseMigrator(
    IOptions<DatabaseOptions> options,
    IDbConnectionFactory connections,
    MigrationAssemblies assemblies,
    DatabaseState state,
    ILogger<DatabaseMigrator> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _waiting;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Answers(out var error))
        {
            Migrate();
            return Task.CompletedTask;
        }

        LogDatabaseDown(error!);
        _waiting = Task.Run(() => MigrateWhenUpAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task MigrateWhenUpAsync(CancellationToken stoppingToken)
    {
        var wait = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (Answers(out _))
            {
                try
                {
                    Migrate();
                    LogDatabaseBack();
                }
                catch (Exception ex)
                {
                    LogMigrationFailed(ex);
                }

                return;
            }

            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    /// <summary>Whether a connection opens; SQL Server's database is created first if missing.</summary>
    private bool Answers(out Exception? error)
    {
        try
        {
            switch (options.Value.Provider)
            {
                case DatabaseProvider.SqlServer:
                    EnsureDatabase.For.SqlDatabase(options.Value.ConnectionString);
                    break;
                case DatabaseProvider.PostgreSql:
                    EnsureDatabase.For.PostgresqlDatabase(options.Value.ConnectionString);
                    break;
                default:
                    DbConnectionFactory.TryEnsureSqliteFolder(options.Value.ConnectionString);
                    break;
            }

            using var connection = connections.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            error = ex;
            return false;
        }
    }

    private void Migrate()
    {
        var folder = connections.Dialect.MigrationFolder;
        if (options.Value.Provider == DatabaseProvider.Sqlite)
        {
            EnableWriteAheadLog(options.Value.ConnectionString);
        }

        // Replicas of one service start together on one server database: one migrates, the others
        // wait for it, then find nothing left to apply.
        using var migrationLock = MigrationLock.Take(options.Value);

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

        state.MarkReady();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_waiting is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _waiting.WaitAsync(cancellationToken);
    }

    // Test hosts may dispose the services before (or without) stopping them: the token source is
    // only cancelled by StopAsync, and only when a wait was started.
    public void Dispose()
    {
        if (_waiting is null || _waiting.IsCompleted)
        {
            _stopping.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database does not answer; the service starts not ready and applies its migrations when it does")]
    private partial void LogDatabaseDown(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database answers again; migrations applied, the service is ready")]
    private partial void LogDatabaseBack();

    [LoggerMessage(Level = LogLevel.Critical, Message = "A migration failed once the database answered; the service stays not ready")]
    private partial void LogMigrationFailed(Exception exception);

    private static UpgradeEngineBuilder Builder(DatabaseOptions options) => options.Provider switch
    {
        DatabaseProvider.SqlServer => DeployChanges.To.SqlDatabase(options.ConnectionString),
        DatabaseProvider.PostgreSql => DeployChanges.To.PostgresqlDatabase(options.ConnectionString),
        _ => DeployChanges.To.SqliteDatabase(options.ConnectionString),
    };

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
