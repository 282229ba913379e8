namespace TicketHub.Gateway.Identity;

/// <summary>
/// The cookies the gateway sets for itself: the session, its antiforgery cookie and, during an
/// OpenID Connect sign-in, the handler's correlation and nonce cookies. They are never forwarded.
/// </summary>
public sealed class GatewayCookies(bool secure)
{
    private const string OidcCorrelationPrefix = ".AspNetCore.Correlation.";
    private const string OidcNoncePrefix = ".AspNetCore.OpenIdConnect.Nonce.";

    public bool Secure { get; } = secure;

    /// <summary><c>__Host-TicketHub</c>; <c>TicketHub</c> when cookies are not marked Secure (browsers refuse a <c>__Host-</c> cookie then).</summary>
    public string Session { get; } = secure ? "__Host-TicketHub" : "TicketHub";

    /// <summary>No <c>__Host-</c> prefix: this cookie is Secure only over https (see the antiforgery settings).</summary>
    public string Antiforgery { get; } = "TicketHub-Antiforgery";

    /// <summary>The device cookie (<see cref="Login.DeviceCookie"/>): this browser signed in to a login before.</summary>
    public string Device { get; } = secure ? "__Host-TicketHub-Appareil" : "TicketHub-Appareil";

    /// <summary>Whether <paramref name="name"/> is one of the gateway's cookies (a large session is split into <c>…C1</c>, <c>…C2</c>).</summary>
    public bool IsGatewayCookie(string name) =>
        name == Session
        || name == Antiforgery
        || name == Device
        || (name.StartsWith(Session + "C", StringComparison.Ordinal) && name.Length > Session.Length + 1 && name[(Session.Length + 1)..].All(char.IsAsciiDigit))
        || name.StartsWith(OidcCorrelationPrefix, StringComparison.Ordinal)
        || name.StartsWith(OidcNoncePrefix, StringComparison.Ordinal);
}
