using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace TicketHub.ServiceDefaults.Data;

/// <summary>
/// Leases in the service's database (table <c>leases</c>): work that one replica at a time must do,
/// such as polling a tool (issue 13). The process that holds a name renews it at each turn; another
/// replica takes it when it has expired (the holder died: within one lease duration) or was released
/// (the holder stopped: at its next turn). Expiry uses each replica's clock: keep them synchronised
/// (NTP), and keep the duration well above their drift.
/// </summary>
public sealed partial class DatabaseLeases(IDbConnectionFactory connections, TimeProvider clock, ILogger<DatabaseLeases> logger)
{
    private const string TakeSql = """
        UPDATE leases SET holder = @Holder, expires_at = @Until
        WHERE name = @Name AND (holder = @Holder OR expires_at < @Now)
        """;

    private const string InsertSql = "INSERT INTO leases (name, holder, expires_at) VALUES (@Name, @Holder, @Until)";

    private const string ReleaseSql = "UPDATE leases SET expires_at = @Now WHERE name = @Name AND holder = @Holder";

    private const string HolderSql = "SELECT holder FROM leases WHERE name = @Name";

    private readonly ConcurrentDictionary<string, bool> _held = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether several processes can share this database (a server database): on SQLite, one process
    /// per file, there is nobody to share the work with.
    /// </summary>
    public bool AreShared => connections.Dialect.IsServer;

    /// <summary>This process, as the <c>holder</c> column names it.</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Takes or renews <paramref name="name"/> until now + <paramref name="duration"/>; whether this process holds it.</summary>
    public async Task<bool> TryHoldAsync(string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var args = new { Name = name, Holder, Now = now, Until = now + duration };
        await using var connection = await connections.OpenAsync(cancellationToken);
        var held = await connection.ExecuteAsync(new CommandDefinition(TakeSql, args, cancellationToken: cancellationToken)) == 1
            || await TryInsertAsync(connection, args, cancellationToken);
        if (_held.TryGetValue(name, out var before) && before == held)
        {
            return held;
        }

        _held[name] = held;
        if (held)
        {
            LogTaken(name);
        }
        else
        {
            LogStandingBy(name, await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(HolderSql, new { Name = name }, cancellationToken: cancellationToken)));
        }

        return held;
    }

    /// <summary>Gives <paramref name="name"/> up, if this process holds it, so that another replica takes it at once.</summary>
    public async Task ReleaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ReleaseSql, new { Name = name, Holder, Now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
        _held.TryRemove(name, out _);
    }

    private static async Task<bool> TryInsertAsync(DbConnection connection, object args, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.ExecuteAsync(new CommandDefinition(InsertSql, args, cancellationToken: cancellationToken)) == 1;
        }
        catch (DbException ex) when (SqlDialect.IsUniqueViolation(ex))
        {
            // Another replica holds it (or took it first): not ours.
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Name} taken: this replica does that work now")]
    private partial void LogTaken(string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Name} held by {Holder}: this replica stands by")]
    private partial void LogStandingBy(string name, string? holder);
}
