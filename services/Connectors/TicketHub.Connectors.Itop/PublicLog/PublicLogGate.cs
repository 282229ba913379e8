namespace TicketHub.Connectors.Itop.PublicLog;

/// <summary>
/// Orders the hub's own writes to iTop's public logs against the sync. A write holds it from the
/// iTop call until its record in <c>hub_log_entries</c> is committed; the sync holds it while it
/// decides which entries are replies. So the sync never sees an entry the hub just wrote without
/// also seeing that the hub wrote it, and never echoes it back. One connector instance per iTop.
/// </summary>
internal sealed class PublicLogGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken);
        return new Release(_semaphore);
    }

    public void Dispose() => _semaphore.Dispose();

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
