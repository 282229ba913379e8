using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace TicketHub.Gateway.Identity.ApiKeys;

/// <summary>
/// Authenticates a machine client by its <c>X-Api-Key</c> header. No header: no result (the session
/// cookie is tried instead). A malformed, unknown, wrong or revoked key: failure, so the request is
/// anonymous and <c>/api</c> answers 401. The key is looked up on every request, so a revocation
/// takes effect at once.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys,
    ApiKeyUsage usage) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string HeaderName = "X-Api-Key";

    /// <summary>Compared against when the id is unknown, so that the answer takes the same time.</summary>
    private static readonly string DecoyHash = ApiKeyFormat.Hash(Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));

    private ILogger Log => Logger;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        if (values.Count != 1 || !ApiKeyFormat.TryParse(values[0], out var id, out var secret))
        {
            LogRefused(Log, "(malformed)", "malformed");
            return AuthenticateResult.Fail("Malformed API key.");
        }

        var key = await keys.FindAsync(id, Context.RequestAborted);
        var matches = ApiKeyFormat.Matches(secret, key?.SecretHash ?? DecoyHash);
        if (key is null || !matches || key.Revoked)
        {
            LogRefused(Log, id, key is null ? "unknown" : key.Revoked ? "revoked" : "wrong secret");
            return AuthenticateResult.Fail("Invalid API key.");
        }

        if (HubPrincipals.CheckRole(key.Role, key.Uai) is { } problem)
        {
            LogRefused(Log, id, problem);
            return AuthenticateResult.Fail("API key without a valid role.");
        }

        await usage.RecordAsync(key.Id, Context.RequestAborted);
        var principal = HubPrincipals.Create(key.ToHubUser(), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {KeyId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string keyId, string reason);
}

/// <summary>
/// Keeps <c>last_used_at</c> roughly current without a write per request: at most one write per
/// key per minute, from this gateway.
/// </summary>
public sealed class ApiKeyUsage(ApiKeyStore keys, TimeProvider clock)
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _written = new(StringComparer.Ordinal);

    public async Task RecordAsync(string keyId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_written.TryGetValue(keyId, out var last) && now - last < Resolution)
        {
            return;
        }

        _written[keyId] = now;
        await keys.TouchAsync(keyId, now, cancellationToken);
    }
}
