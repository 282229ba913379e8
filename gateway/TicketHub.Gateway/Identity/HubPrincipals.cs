using TicketHub.Contracts;
using System.Security.Claims;
using System.Text.RegularExpressions;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Gateway.Identity;

/// <summary>How the gateway holds a <see cref="HubUser"/> as a principal, and what a valid one is.</summary>
public static partial class HubPrincipals
{
    /// <summary>Where a person signed in: <see cref="LocalProvider"/> or <see cref="OidcProvider"/>. Never forwarded.</summary>
    public const string ProviderClaim = "idp";

    public const string LocalProvider = "local";

    public const string OidcProvider = "oidc";

    /// <summary>A principal carrying <paramref name="user"/> in the claims of the internal token.</summary>
    public static ClaimsPrincipal Create(HubUser user, string authenticationType, string? provider = null)
    {
        var identity = new ClaimsIdentity(user.ToClaims(), authenticationType, HubClaimTypes.Name, HubClaimTypes.Role);
        if (provider is not null)
        {
            identity.AddClaim(new Claim(ProviderClaim, provider));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>7 digits and an upper-case letter, e.g. <c>0931234X</c>.</summary>
    public static bool IsUai(string? value) => FieldFormats.IsUai(value);

    /// <summary>
    /// Why a role and UAI pair cannot be a TicketHub user (in French), or null when it can: the role
    /// must be known, a collège needs its UAI and only a collège has one.
    /// </summary>
    public static string? CheckRole(string? role, string? uai)
    {
        if (!HubRoles.IsKnown(role))
        {
            return $"rôle inconnu « {role} » (attendu : {string.Join(", ", HubRoles.All)})";
        }

        if (role == HubRoles.College)
        {
            return IsUai(uai) ? null : $"un compte collège doit porter un code UAI valide (7 chiffres et une lettre majuscule), pas « {uai} »";
        }

        return string.IsNullOrEmpty(uai) ? null : "seul un compte collège porte un code UAI";
    }
}
