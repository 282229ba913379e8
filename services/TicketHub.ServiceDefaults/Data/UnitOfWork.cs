using System.Data.Common;

namespace TicketHub.ServiceDefaults.Data;

/// <summary>
/// The database work of one message or one request: one connection, one transaction, committed once
/// by whoever began it (the inbox for a message, the store's operation for a request), then the
/// actions registered with <see cref="AfterCommit"/> run (the outbox's relay is woken). Stores and the
/// outbox take part in the unit of work in progress on their flow (<see cref="Current"/>) instead of
/// receiving a transaction as an argument: a method that changes state cannot forget the
/// transaction of the change it belongs to, nor commit half of it (ADR 17).
/// </summary>
/// <remarks>
/// The unit of work flows with the asynchronous call (an <see cref="AsyncLocal{T}"/>, as
/// <c>System.Transactions.Transaction.Current</c> does), so it reaches every store the work calls and
/// no other flow. Begun on a database that another unit of work in progress does not use (two
/// services hosted in one test process), it is a new one and does not join.
/// </remarks>
public sealed class UnitOfWork(IDbConnectionFactory connections)
{
    private static readonly AsyncLocal<Work?> Ambient = new();

    /// <summary>The transaction of the unit of work in progress on this flow.</summary>
    /// <exception cref="InvalidOperationException">When no unit of work is in progress.</exception>
    public static DbTransaction Current => Ambient.Value is { Transaction: { } transaction }
        ? transaction
        : throw new InvalidOperationException(
            "No unit of work is in progress: a change of state runs in the unit of work of its message (the inbox) or of its request (UnitOfWork.RunAsync).");

    /// <summary>The connection of <see cref="Current"/>.</summary>
    public static DbConnection Connection => Current.Connection!;

    /// <summary>Runs <paramref name="action"/> once the unit of work in progress has committed (never if it rolls back).</summary>
    public static void AfterCommit(Action action)
    {
        _ = Current;
        Ambient.Value!.Committed.Add(action);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in the unit of work in progress on this flow if it uses this
    /// database (the outer one commits), or else in a new one that commits when the work returns and
    /// rolls back when it throws.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (Ambient.Value is { } outer && ReferenceEquals(outer.Connections, connections))
        {
            return await work();
        }

        var previous = Ambient.Value;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var unit = new Work(connections, transaction);
        Ambient.Value = unit;
        try
        {
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            unit.Transaction = null;
            foreach (var action in unit.Committed)
            {
                action();
            }

            return result;
        }
        finally
        {
            unit.Transaction = null;
            Ambient.Value = previous;
        }
    }

    /// <inheritdoc cref="RunAsync{T}(Func{Task{T}}, CancellationToken)"/>
    public Task RunAsync(Func<Task> work, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await work();
            return true;
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="attempt"/>, each time in a unit of work of its own, until it decides: an
    /// attempt returns null when what it read changed before it could write (optimistic concurrency:
    /// its unit wrote nothing), and it then reads and decides again on the data as it now is.
    /// </summary>
    /// <param name="giveUp">The exception thrown after <paramref name="maxAttempts"/> undecided attempts (rows changing all the time).</param>
    public async Task<T> RunUntilDecidedAsync<T>(Func<Task<T?>> attempt, Func<int, Exception> giveUp, CancellationToken cancellationToken,
        int maxAttempts = 10)
        where T : class
    {
        for (var tries = 1; ; tries++)
        {
            if (await RunAsync(attempt, cancellationToken) is { } decided)
            {
                return decided;
            }

            if (tries == maxAttempts)
            {
                throw giveUp(tries);
            }
        }
    }

    /// <summary>Whether a unit of work on this database is in progress on this flow.</summary>
    public bool InProgress => Ambient.Value is { Transaction: not null } unit && ReferenceEquals(unit.Connections, connections);

    private sealed class Work(IDbConnectionFactory connections, DbTransaction transaction)
    {
        public IDbConnectionFactory Connections { get; } = connections;

        /// <summary>Null once committed or ended: a late use fails instead of writing outside the unit.</summary>
        public DbTransaction? Transaction { get; set; } = transaction;

        public List<Action> Committed { get; } = [];
    }
}
