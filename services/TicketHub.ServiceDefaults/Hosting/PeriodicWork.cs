using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TicketHub.ServiceDefaults.Hosting;

/// <summary>
/// Work a service does by itself every <see cref="Interval"/> (train a model, read a mailbox, send the
/// day's digests): once at start when <see cref="RunsAtStart"/>, then at each tick. A round that fails
/// is logged and the next one runs as planned: the service never stops doing it.
/// </summary>
public abstract partial class PeriodicWork(ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    /// <summary>False when the configuration turns the work off (it then never runs).</summary>
    protected virtual bool Enabled => true;

    protected virtual bool RunsAtStart => true;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        if (RunsAtStart)
        {
            await RunSafelyAsync(stoppingToken);
        }

        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RunSafelyAsync(stoppingToken);
        }
    }

    private async Task RunSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunOnceAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, GetType().Name, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Work} failed; it runs again at its next round")]
    private static partial void LogFailed(ILogger logger, string work, Exception exception);
}
