using System.Net;
using Microsoft.Extensions.Options;

namespace TicketHub.Connectors.Glpi.Glpi;

/// <summary>
/// The three secrets GLPI reads from headers. Handlers put them on a request just before it leaves
/// and take them off as soon as it is answered: a request message outlives the call inside
/// exceptions (Refit prints its headers) and logs, and must not carry a token there.
/// </summary>
internal static class GlpiHeaders
{
    public const string AppToken = "App-Token";
    public const string SessionToken = "Session-Token";
    public const string Authorization = "Authorization";

    public static readonly string[] Secrets = [AppToken, SessionToken, Authorization];

    public static void Set(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }

    public static void RemoveSecrets(HttpRequestMessage request)
    {
        foreach (var name in Secrets)
        {
            request.Headers.Remove(name);
        }
    }
}

/// <summary>
/// Credentials of the session endpoints: App-Token always, <c>Authorization: user_token …</c> for
/// initSession, <c>Session-Token</c> for killSession (passed as a request option).
/// </summary>
internal sealed class GlpiLoginHandler(IOptions<GlpiOptions> options) : DelegatingHandler
{
    /// <summary>Request option holding the session to close.</summary>
    public const string SessionOption = "glpi-session";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            GlpiHeaders.Set(request, GlpiHeaders.AppToken, options.Value.AppToken);
            if (request.RequestUri?.AbsolutePath.EndsWith("/initSession", StringComparison.Ordinal) == true)
            {
                GlpiHeaders.Set(request, GlpiHeaders.Authorization, "user_token " + options.Value.UserToken);
            }

            if (request.Options.TryGetValue(new HttpRequestOptionsKey<string>(SessionOption), out var session))
            {
                GlpiHeaders.Set(request, GlpiHeaders.SessionToken, session);
            }

            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            GlpiHeaders.RemoveSecrets(request);
        }
    }
}

/// <summary>
/// Adds App-Token and <c>Session-Token</c>, opening the session on first use. When GLPI answers
/// <c>401 ["ERROR_SESSION_TOKEN_INVALID", …]</c> (the session expired or GLPI restarted), opens a
/// new session and sends the request once more: GLPI refused it before doing anything, so even a
/// POST is safe to resend.
/// </summary>
internal sealed partial class GlpiSessionHandler(
    GlpiSessionProvider sessions,
    IOptions<GlpiOptions> options,
    ILogger<GlpiSessionHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            if (request.Content is not null)
            {
                // A request message can go down the pipeline twice only if its body can be read twice.
                await request.Content.LoadIntoBufferAsync(cancellationToken);
            }

            var token = await sessions.GetTokenAsync(cancellationToken);
            var response = await SendWithSessionAsync(request, token, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return response;
            }

            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var error = GlpiError.From(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            if (error.Code != GlpiError.SessionTokenInvalid)
            {
                return response;
            }

            LogSessionExpired(request.Method.Method, request.RequestUri?.AbsolutePath);
            response.Dispose();
            token = await sessions.RenewAsync(token, cancellationToken);
            return await SendWithSessionAsync(request, token, cancellationToken);
        }
        finally
        {
            GlpiHeaders.RemoveSecrets(request);
        }
    }

    private Task<HttpResponseMessage> SendWithSessionAsync(HttpRequestMessage request, string token, CancellationToken cancellationToken)
    {
        GlpiHeaders.Set(request, GlpiHeaders.AppToken, options.Value.AppToken);
        GlpiHeaders.Set(request, GlpiHeaders.SessionToken, token);
        return base.SendAsync(request, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI session expired on {Method} {Path}; opening a new one and sending again")]
    private partial void LogSessionExpired(string method, string? path);
}
