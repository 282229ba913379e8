using System.Security.Claims;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Gateway.Identity.Oidc;

/// <summary>A provider's user as a TicketHub user, or why it cannot be one (in French, for the person).</summary>
public sealed record OidcMapping(HubUser? User, string? Refusal)
{
    public static OidcMapping Refused(string reason) => new(null, reason);
}

/// <summary>
/// Turns the claims an identity provider returned into a <see cref="HubUser"/>. A person whose
/// values map to no TicketHub role, or a collège user without one valid UAI, is refused. When the
/// values map to several roles, the widest one is taken (the provider granted them all).
/// </summary>
public static class OidcClaimMapper
{
    /// <summary>Widest first.</summary>
    private static readonly string[] Precedence =
        [HubRoles.Admin, HubRoles.Dispatcher, HubRoles.Rectorat, HubRoles.Omere, HubRoles.Infogerant, HubRoles.College];

    public static OidcMapping Map(ClaimsPrincipal principal, OidcSettings settings)
    {
        var subject = principal.FindFirst(settings.SubjectClaim)?.Value;
        if (string.IsNullOrWhiteSpace(subject))
        {
            return OidcMapping.Refused("Le fournisseur d'identité n'a pas transmis d'identifiant pour votre compte.");
        }

        var roles = principal.FindAll(settings.RoleClaim)
            .Select(claim => MapRole(claim.Value, settings))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var role = Precedence.FirstOrDefault(roles.Contains);
        if (role is null)
        {
            return OidcMapping.Refused("Votre compte n'a pas de rôle dans TicketHub. Demandez l'accès à l'administrateur de TicketHub de votre département.");
        }

        string? uai = null;
        if (role == HubRoles.College)
        {
            var uais = principal.FindAll(settings.UaiClaim)
                .Select(claim => claim.Value.Trim().ToUpperInvariant())
                .Where(value => value.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (uais.Count != 1 || !HubPrincipals.IsUai(uais[0]))
            {
                return OidcMapping.Refused(uais.Count > 1
                    ? "Votre compte est rattaché à plusieurs collèges : TicketHub ne sait pas pour lequel vous agissez. Demandez un compte par collège."
                    : "Votre compte collège n'indique pas de code UAI valide : TicketHub ne peut pas savoir de quel collège vous êtes.");
            }

            uai = uais[0];
        }

        var name = principal.FindFirst(settings.NameClaim)?.Value;
        return new OidcMapping(new HubUser($"oidc:{subject}", string.IsNullOrWhiteSpace(name) ? subject : name.Trim(), role, uai, IsApiKey: false), null);
    }

    private static string? MapRole(string value, OidcSettings settings)
    {
        if (settings.RoleMap.Count == 0)
        {
            return HubRoles.IsKnown(value) ? value : null;
        }

        // Configuration keys keep their case; providers do not always.
        var mapped = settings.RoleMap.FirstOrDefault(pair => string.Equals(pair.Key, value, StringComparison.OrdinalIgnoreCase)).Value;
        return HubRoles.IsKnown(mapped) ? mapped : null;
    }
}
