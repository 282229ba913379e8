using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Portal.Security;

/// <summary>
/// Who may open which page. The services decide what each user may read or change; the portal only
/// keeps people away from pages whose calls would all be refused, and shows them a French 403 page.
/// Every page needs a signed-in user (the fallback policy of <c>AddHubAuthentication</c>); without
/// one, the browser is sent to the gateway's login page and comes back afterwards.
/// </summary>
public static class PortalAuthorization
{
    public const string FileTickets = "portal-file-tickets";
    public const string InfogerantQueue = "portal-infogerant";
    public const string RectoratQueue = "portal-rectorat";
    public const string OmereQueue = "portal-omere";
    public const string Triage = "portal-triage";
    public const string Administration = "portal-admin";
    public const string VisitSheet = "portal-visit";

    /// <summary>The gateway's login page; <c>retour</c> is where to come back.</summary>
    public const string LoginPath = "/connexion";

    /// <summary>The roles of each policy: also what the home page and the menu offer.</summary>
    public static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [FileTickets] = [HubRoles.College, HubRoles.Dispatcher, HubRoles.Admin],
        [InfogerantQueue] = [HubRoles.Infogerant, HubRoles.Admin],
        [RectoratQueue] = [HubRoles.Rectorat, HubRoles.Admin],
        [OmereQueue] = [HubRoles.Omere, HubRoles.Admin],
        [Triage] = [HubRoles.Dispatcher, HubRoles.Admin],
        [Administration] = [HubRoles.Admin],
        [VisitSheet] = [HubRoles.Infogerant, HubRoles.Dispatcher, HubRoles.Admin],
    };

    public static bool Allows(this HubUser user, string policy) => Roles[policy].Contains(user.Role, StringComparer.Ordinal);

    internal static IServiceCollection AddPortalAuthorization(this IServiceCollection services)
    {
        var authorization = services.AddAuthorizationBuilder();
        foreach (var (policy, roles) in Roles)
        {
            authorization.AddPolicy(policy, builder => builder
                .RequireAuthenticatedUser()
                .RequireAssertion(context => HubUser.From(context.User) is { } user && roles.Contains(user.Role, StringComparer.Ordinal)));
        }

        // A browser without a user is sent to the login page, not answered 401.
        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
            jwt.Events = new JwtBearerEvents
            {
                OnChallenge = context =>
                {
                    context.HandleResponse();
                    context.Response.Redirect(LoginUrl(context.Request));
                    return Task.CompletedTask;
                },
            });
        return services;
    }

    /// <summary><c>/connexion?retour=/demandes/…</c>: the current local path and query, encoded.</summary>
    public static string LoginUrl(HttpRequest request)
    {
        var back = request.PathBase.Add(request.Path).Value + request.QueryString.Value;
        if (string.IsNullOrEmpty(back) || !back.StartsWith('/') || back.StartsWith("//", StringComparison.Ordinal))
        {
            back = "/";
        }

        return $"{LoginPath}?retour={Uri.EscapeDataString(back)}";
    }

    internal static PageConventionCollection AddPortalPageRules(this PageConventionCollection pages)
    {
        pages.AuthorizePage("/Demandes/Nouvelle", FileTickets);
        pages.AuthorizeFolder("/Infogerant", InfogerantQueue);
        pages.AuthorizeFolder("/Rectorat", RectoratQueue);
        pages.AuthorizeFolder("/Omere", OmereQueue);
        pages.AuthorizeFolder("/Aiguillage", Triage);
        pages.AuthorizeFolder("/Admin", Administration);
        pages.AuthorizeFolder("/Visite", VisitSheet);
        pages.AllowAnonymousToPage("/Erreur");
        // Reached from a mail's signed link, without an account: the link's token is the proof.
        pages.AllowAnonymousToPage("/Notifications/Index");
        return pages;
    }
}
