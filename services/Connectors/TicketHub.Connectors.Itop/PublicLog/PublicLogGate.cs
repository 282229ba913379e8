using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Itop.PublicLog;

/// <summary>
/// Orders the hub's own writes to iTop's public logs against the sync. A write holds it from the
/// iTop call until its record in <c>hub_log_entries</c> is committed; the sync holds it while it
/// decides which entries are replies. So the sync never sees an entry the hub just wrote without
/// also seeing that the hub wrote it, and never echoes it back. Within a process a semaphore; across
/// the replicas sharing a server database (issue 13: a comment written by one while another polls),
/// also a <see cref="DatabaseMutex"/>.
/// </summary>
internal sealed class PublicLogGate(DatabaseMutex mutex) : IDisposable
{
    private const string Name = "tickethub-itop-public-log";

    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken);
        try
        {
            return new Release(_semaphore, await mutex.TakeAsync(Name, cancellationToken));
        }
        catch
        {
            _semaphore.Release();
            throw;
        }
    }

    public void Dispose() => _semaphore.Dispose();

    private sealed class Release(SemaphoreSlim semaphore, IDisposable? shared) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                shared?.Dispose();
                semaphore.Release();
            }
        }
    }
}
