using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Gateway.Proxy;

/// <summary>Mints the internal token the gateway puts on every request it forwards for an authenticated caller.</summary>
public sealed class InternalTokenIssuer(IOptions<InternalTokenOptions> options, TimeProvider clock)
{
    private readonly SecurityKey _signingKey = InternalTokens.LoadSigningKey(options.Value);

    public string Issue(HubUser user) => InternalTokens.Issue(user, options.Value, _signingKey, clock.GetUtcNow());

    /// <summary>Validates at start that the signing key is set and readable; the message names the setting.</summary>
    public static string? Check(InternalTokenOptions options)
    {
        try
        {
            InternalTokens.LoadSigningKey(options);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
        catch (Exception ex) when (ex is ArgumentException or System.Security.Cryptography.CryptographicException or IOException)
        {
            return $"{InternalTokenOptions.SectionName}:SigningKey/SigningKeyFile does not hold a readable EC private key (PEM): {ex.Message}";
        }
    }
}
