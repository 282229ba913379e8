using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace TicketHub.ServiceDefaults.Security;

/// <summary>
/// Who is acting, read from the gateway's internal token: the only identity a service trusts. A
/// header such as <c>X-TicketHub-User</c> sent by a client is not an identity.
/// </summary>
/// <param name="Id">The account's or API key's stable id (<c>sub</c>).</param>
/// <param name="Name">Display name, used in audits and timelines.</param>
/// <param name="Role">One of <see cref="HubRoles"/>.</param>
/// <param name="Uai">The collège of a <see cref="HubRoles.College"/> user; null otherwise.</param>
/// <param name="IsApiKey">True for a machine client.</param>
public sealed record HubUser(string Id, string Name, string Role, string? Uai, bool IsApiKey)
{
    public const string PersonKind = "person";
    public const string KeyKind = "key";

    public bool IsCollege => Role == HubRoles.College;

    public bool IsAdmin => Role == HubRoles.Admin;

    /// <summary><c>person:&lt;sub&gt;</c> or <c>key:&lt;sub&gt;</c>: who acted, as the stores record it (creator, follower, quotas).</summary>
    public string Key => $"{(IsApiKey ? KeyKind : PersonKind)}:{Id}";

    /// <summary>"Name (role)": how an audit names who acted.</summary>
    public string AuditName => $"{Name} ({Role})";

    /// <summary>The user of an authenticated principal, or null when it lacks a known role or, for a collège, its UAI.</summary>
    public static HubUser? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = principal.FindFirstValue(HubClaimTypes.Subject);
        var role = principal.FindFirstValue(HubClaimTypes.Role);
        if (string.IsNullOrEmpty(id) || !HubRoles.IsKnown(role))
        {
            return null;
        }

        var uai = principal.FindFirstValue(HubClaimTypes.Uai);
        if (role == HubRoles.College && string.IsNullOrEmpty(uai))
        {
            return null;
        }

        var name = principal.FindFirstValue(HubClaimTypes.Name) ?? id;
        var isKey = principal.FindFirstValue(HubClaimTypes.Kind) == KeyKind;
        return new HubUser(id, name, role!, role == HubRoles.College ? uai : null, isKey);
    }

    /// <summary>The claims that carry this user in an internal token.</summary>
    public IEnumerable<Claim> ToClaims()
    {
        yield return new Claim(HubClaimTypes.Subject, Id);
        yield return new Claim(HubClaimTypes.Name, Name);
        yield return new Claim(HubClaimTypes.Role, Role);
        yield return new Claim(HubClaimTypes.Kind, IsApiKey ? KeyKind : PersonKind);
        if (Uai is not null)
        {
            yield return new Claim(HubClaimTypes.Uai, Uai);
        }
    }
}

public static class HubUserHttpContextExtensions
{
    /// <summary>
    /// The authenticated user. Endpoints behind <c>RequireAuthorization</c> always have one; the
    /// exception means an endpoint was mapped without it.
    /// </summary>
    public static HubUser HubUser(this HttpContext context) =>
        Security.HubUser.From(context.User)
        ?? throw new InvalidOperationException("This endpoint is reached without an authenticated TicketHub user: map it with RequireAuthorization.");
}
