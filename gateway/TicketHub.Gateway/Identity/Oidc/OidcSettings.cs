namespace TicketHub.Gateway.Identity.Oidc;

/// <summary>
/// Sign-in through an OpenID Connect provider (section <c>Identity:Oidc</c>): an académie's or a
/// département's identity provider. Off unless <see cref="Authority"/> is set; local accounts keep
/// working beside it. The provider's claims become a TicketHub role (and, for a collège, its UAI)
/// through <see cref="RoleClaim"/>, <see cref="RoleMap"/> and <see cref="UaiClaim"/>.
/// </summary>
public sealed class OidcSettings
{
    public const string SectionName = "Identity:Oidc";

    /// <summary>The provider's issuer URL; its discovery document is read from <c>/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>A <b>secret</b>: from the environment (<c>Identity__Oidc__ClientSecret</c>).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Space-separated scopes requested.</summary>
    public string Scopes { get; set; } = "openid profile";

    /// <summary>The claim listing the person's roles or groups at the provider.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim holding a collège user's UAI.</summary>
    public string UaiClaim { get; set; } = "uai";

    /// <summary>The claim holding the person's display name.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>The claim holding the person's stable identifier at the provider.</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>
    /// Provider value (of <see cref="RoleClaim"/>) → TicketHub role, compared without case. Empty:
    /// a provider value that is itself a TicketHub role name is taken as is.
    /// </summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Ask the user-info endpoint for claims the ID token lacks.</summary>
    public bool GetClaimsFromUserInfoEndpoint { get; set; }

    /// <summary>Keep true in production; false only for a provider on plain http in a test.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Shown on the sign-in page: « Se connecter avec … ».</summary>
    public string DisplayName { get; set; } = "votre compte académique";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}
