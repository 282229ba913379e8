using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using TicketHub.Gateway.Identity.Accounts;
using TicketHub.Gateway.Identity.ApiKeys;
using TicketHub.Gateway.Identity.Login;
using TicketHub.Gateway.Identity.Oidc;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Gateway.Identity;

/// <summary>
/// Who the caller is: an API key in <c>X-Api-Key</c> when the header is present, otherwise the
/// session cookie. People get the cookie from the sign-in page or, when configured, from the
/// identity provider. A challenge is a bare 401 and a refusal a bare 403 (the status-code pages
/// make them French ProblemDetails): only <c>/api</c> needs a caller, and the portal redirects to
/// the sign-in page itself.
/// </summary>
public static partial class GatewayAuthentication
{
    public const string Scheme = "TicketHub";
    public const string CookieScheme = "TicketHub.Session";
    public const string OidcScheme = "TicketHub.Oidc";

    public static AuthenticationBuilder AddGatewaySchemes(this IServiceCollection services, GatewayCookies cookies, IdentityOptions.CookieSettings cookieSettings, OidcSettings oidc)
    {
        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "TicketHub", policy => policy.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) ? ApiKeyAuthenticationHandler.SchemeName : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = cookies.Session;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SecurePolicy = cookies.Secure ? CookieSecurePolicy.Always : CookieSecurePolicy.None;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.Path = "/";
                cookie.ExpireTimeSpan = cookieSettings.Lifetime;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = LoginEndpoints.LoginPath;
                cookie.ReturnUrlParameter = "retour";
                cookie.Events.OnRedirectToLogin = context => Status(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => Status(context, StatusCodes.Status403Forbidden);
                cookie.Events.OnValidatePrincipal = RevalidateLocalAccountAsync;
            });

        if (oidc.Enabled)
        {
            authentication.AddOpenIdConnect(OidcScheme, options => ConfigureOidc(options, oidc, cookies));
        }

        return authentication;
    }

    private static Task Status(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>
    /// A session of a local account follows the account: a disabled or deleted account loses its
    /// session at its next request, and a changed role or name applies at once.
    /// </summary>
    private static async Task RevalidateLocalAccountAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirstValue(HubPrincipals.ProviderClaim) != HubPrincipals.LocalProvider)
        {
            return;
        }

        var user = HubUser.From(context.Principal);
        var account = user is null ? null : await context.HttpContext.RequestServices.GetRequiredService<AccountStore>().FindAsync(user.Id, context.HttpContext.RequestAborted);
        if (account is null || account.Disabled)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        var current = account.ToHubUser();
        if (current != user)
        {
            context.ReplacePrincipal(HubPrincipals.Create(current, CookieScheme, HubPrincipals.LocalProvider));
            context.ShouldRenew = true;
        }
    }

    private static void ConfigureOidc(OpenIdConnectOptions options, OidcSettings settings, GatewayCookies cookies)
    {
        options.SignInScheme = CookieScheme;
        options.Authority = settings.Authority;
        options.ClientId = settings.ClientId;
        options.ClientSecret = settings.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.UsePkce = true;
        options.SaveTokens = false;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = settings.GetClaimsFromUserInfoEndpoint;
        options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        options.CallbackPath = "/signin-oidc";
        options.Scope.Clear();
        foreach (var scope in settings.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            options.Scope.Add(scope);
        }

        options.TokenValidationParameters.NameClaimType = settings.NameClaim;
        options.TokenValidationParameters.RoleClaimType = settings.RoleClaim;
        var secure = cookies.Secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        options.CorrelationCookie.SecurePolicy = secure;
        options.NonceCookie.SecurePolicy = secure;

        options.Events.OnTicketReceived = context =>
        {
            var mapping = OidcClaimMapper.Map(context.Principal!, settings);
            if (mapping.User is null)
            {
                LogOidcRefused(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayAuthentication)), mapping.Refusal!);
                context.HandleResponse();
                return LoginResponses.Message(context.HttpContext, "Accès refusé", mapping.Refusal!, StatusCodes.Status403Forbidden).ExecuteAsync(context.HttpContext);
            }

            context.Principal = HubPrincipals.Create(mapping.User, OidcScheme, HubPrincipals.OidcProvider);
            context.Properties!.RedirectUri = ReturnPath.Sanitize(context.Properties.RedirectUri);
            return Task.CompletedTask;
        };
        options.Events.OnRemoteFailure = context =>
        {
            LogOidcFailed(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayAuthentication)), context.Failure);
            context.HandleResponse();
            return LoginResponses.Message(context.HttpContext, "Connexion impossible",
                "La connexion par le fournisseur d'identité n'a pas abouti. Réessayez ; si cela se reproduit, contactez l'assistance.",
                StatusCodes.Status400BadRequest).ExecuteAsync(context.HttpContext);
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenID Connect user refused: {Reason}")]
    private static partial void LogOidcRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenID Connect sign-in failed")]
    private static partial void LogOidcFailed(ILogger logger, Exception? exception);
}
