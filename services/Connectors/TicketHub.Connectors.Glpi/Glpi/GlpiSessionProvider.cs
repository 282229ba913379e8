using Refit;

namespace TicketHub.Connectors.Glpi.Glpi;

/// <summary>
/// Holds the one GLPI session this process uses: opened on first use, shared by every request,
/// renewed once when GLPI says it expired, closed when the service stops.
/// </summary>
internal sealed partial class GlpiSessionProvider(
    IGlpiSessionApi api,
    ILogger<GlpiSessionProvider> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile string? _token;

    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = _token;
        return token is not null ? ValueTask.FromResult(token) : new ValueTask<string>(OpenAsync(null, cancellationToken));
    }

    /// <summary>
    /// Replaces <paramref name="staleToken"/>, which GLPI refused. Callers that saw the same stale
    /// token at the same time share one <c>initSession</c>.
    /// </summary>
    public Task<string> RenewAsync(string staleToken, CancellationToken cancellationToken) =>
        OpenAsync(staleToken, cancellationToken);

    private async Task<string> OpenAsync(string? staleToken, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = _token;
            if (current is not null && current != staleToken)
            {
                return current;
            }

            _token = null;
            GlpiSessionToken session;
            try
            {
                session = await api.InitSessionAsync(cancellationToken);
            }
            catch (ApiException ex)
            {
                var error = GlpiError.From(ex.StatusCode, ex.Content);
                LogLoginRefused(error.Code, error.Message);
                throw new GlpiException($"GLPI refused to open a session ({error}); check Glpi:AppToken and Glpi:UserToken.", error, ex);
            }

            _token = session.SessionToken;
            LogSessionOpened(staleToken is not null);
            return session.SessionToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Closes the session rather than leaving it to GLPI's garbage collector.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var token = Interlocked.Exchange(ref _token, null);
        if (token is null)
        {
            return;
        }

        try
        {
            await api.KillSessionAsync(token, cancellationToken);
        }
        // ObjectDisposedException: the host is already disposing the HTTP pipeline (its resilience
        // pipeline goes with the container); GLPI will expire the session on its own.
        catch (Exception ex) when (ex is ApiException or HttpRequestException or OperationCanceledException or GlpiException or ObjectDisposedException)
        {
            LogKillFailed(ex.Message);
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI session opened (renewal: {Renewal})")]
    private partial void LogSessionOpened(bool renewal);

    [LoggerMessage(Level = LogLevel.Error, Message = "GLPI refused to open a session: {GlpiCode} {GlpiMessage}")]
    private partial void LogLoginRefused(string glpiCode, string glpiMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not close the GLPI session: {Reason}")]
    private partial void LogKillFailed(string reason);
}
