using Microsoft.AspNetCore.Authorization;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Gateway.Identity;

/// <summary>
/// The coarse access rules the gateway applies per route (<c>AuthorizationPolicy</c> of each route
/// in <c>ReverseProxy:Routes</c>); each service then checks the fine ones (which ticket, which
/// collège). A route without a policy needs an authenticated caller (the fallback); the portal's
/// route is <c>Anonymous</c>.
/// </summary>
public static class GatewayPolicies
{
    /// <summary>Any authenticated TicketHub user (person or key).</summary>
    public const string AnyUser = "hub-user";

    /// <summary><c>/api/v1/admin/**</c>, writing the registry.</summary>
    public const string Admin = "hub-admin";

    /// <summary><c>/api/v1/triage</c>: the dispatcher's desk.</summary>
    public const string Triage = "hub-triage";

    /// <summary><c>/api/v1/relay/**</c>: the operators of tools without an API.</summary>
    public const string Relay = "hub-relay";

    /// <summary><c>/api/v1/visits/**</c>: the infogérant's visit sheet, and the Pôle TIE.</summary>
    public const string Visits = "hub-visits";

    public static IServiceCollection AddGatewayPolicies(this IServiceCollection services)
    {
        var anyUser = Roles(HubRoles.All.ToArray());
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(anyUser)
            .SetFallbackPolicy(anyUser)
            .AddPolicy(AnyUser, anyUser)
            .AddPolicy(Admin, Roles(HubRoles.Admin))
            .AddPolicy(Triage, Roles(HubRoles.Dispatcher, HubRoles.Admin))
            .AddPolicy(Relay, Roles(HubRoles.Rectorat, HubRoles.Omere, HubRoles.Admin))
            .AddPolicy(Visits, Roles(HubRoles.Infogerant, HubRoles.Dispatcher, HubRoles.Admin));
        return services;
    }

    private static AuthorizationPolicy Roles(params string[] roles) =>
        new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireAssertion(context => HubUser.From(context.User) is { } user && roles.Contains(user.Role, StringComparer.Ordinal))
            .Build();
}
