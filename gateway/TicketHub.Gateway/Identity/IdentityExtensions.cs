using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TicketHub.Gateway.Identity.Accounts;
using TicketHub.Gateway.Identity.ApiKeys;
using TicketHub.Gateway.Identity.Login;
using TicketHub.Gateway.Identity.Oidc;
using TicketHub.Gateway.Identity.Seeding;
using TicketHub.Gateway.Identity.Sessions;
using TicketHub.Gateway.Proxy;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Gateway.Identity;

/// <summary>The gateway's identity: accounts and keys in its database, sign-in, the internal token, the coarse access rules.</summary>
public static partial class IdentityExtensions
{
    public static IHostApplicationBuilder AddGatewayIdentity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(IdentityOptions.SectionName);
        var identity = section.Get<IdentityOptions>() ?? new IdentityOptions();
        var oidc = builder.Configuration.GetSection(OidcSettings.SectionName).Get<OidcSettings>() ?? new OidcSettings();
        var cookies = new GatewayCookies(identity.Cookie.Secure);

        services.AddOptions<IdentityOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdentityOptions.CookieSettings>().Bind(section.GetSection("Cookie")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LoginRateLimitOptions>().Bind(section.GetSection("LoginRateLimit")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OidcSettings>().BindConfiguration(OidcSettings.SectionName)
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.ClientId), "Identity:Oidc:ClientId is required when Identity:Oidc:Authority is set.")
            .Validate(o => o.RoleMap.Values.All(HubRoles.IsKnown), $"Identity:Oidc:RoleMap values must be TicketHub roles: {string.Join(", ", HubRoles.All)}.")
            .ValidateOnStart();
        services.AddOptions<InternalTokenOptions>().BindConfiguration(InternalTokenOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<InternalTokenOptions>, SigningKeyValidation>();

        // Accounts and keys; hosted services start in order: migrations, then the seed.
        builder.AddTicketHubDatabaseWithoutMessaging(typeof(IdentityExtensions).Assembly);
        services.AddSingleton<AccountStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<IPasswordHasher<LocalAccount>, PasswordHasher<LocalAccount>>();
        services.AddSingleton<PasswordSignIn>();
        services.AddHostedService<IdentitySeeder>();

        var dataProtection = services.AddDataProtection().SetApplicationName("TicketHub.Gateway");
        if (!string.IsNullOrWhiteSpace(identity.DataProtectionKeysFolder))
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(identity.DataProtectionKeysFolder));
        }

        services.AddSingleton(cookies);
        services.AddSingleton<SessionStore>();
        services.AddSingleton<IPostConfigureOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>, SessionStoreSetup>();
        services.AddGatewaySchemes(cookies, identity.Cookie, oidc);
        services.AddGatewayPolicies();
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = cookies.Antiforgery;
            // Not "Always": antiforgery then refuses every plain-http request, and the embedded
            // default listens on http://localhost. The token in this cookie is useless without the
            // form's own token, so it is Secure over https and plain over http.
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.Path = "/";
            antiforgery.FormFieldName = "__RequestVerificationToken";
        });
        services.AddSingleton<LoginResponses>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<DeviceCookie>();
        services.AddSingleton<InternalTokenIssuer>();
        services.AddLoginRateLimiting();
        return builder;
    }

    /// <summary>Authentication, then the sign-in form read for the rate limiter, the limiter, authorization, the CSRF header of cookie API writes.</summary>
    public static WebApplication UseGatewayIdentity(this WebApplication app)
    {
        app.Services.GetRequiredService<PasswordSignIn>();
        app.UseAuthentication();
        app.UseLoginFormReading();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseCsrfHeaderForCookieApiWrites();
        return app;
    }

    /// <summary>
    /// <c>POST /connexion</c> is limited per client address (a fixed window, <c>Identity:LoginRateLimit</c>);
    /// failures per login are slowed by <see cref="SignInThrottle"/>; nothing else is limited here. A refusal is the sign-in
    /// page with a French message, status 429 and <c>Retry-After</c>.
    /// </summary>
    private static IServiceCollection AddLoginRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LoginRateLimitOptions>>((limiter, login) =>
        {
            var limits = login.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => LoginEndpoints.IsLoginAttempt(context.Request)
                ? RateLimitPartition.GetFixedWindowLimiter("ip:" + LoginEndpoints.ClientAddress(context), _ => Window(limits.PerIp, limits.Window))
                : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = async (context, _) =>
            {
                var http = context.HttpContext;
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limits.Window;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                LogLimited(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IdentityExtensions)), http.Connection.RemoteIpAddress?.ToString());
                var form = new LoginForm(ReturnPath.Sanitize(http.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form?["retour"].ToString()))
                {
                    FormError = $"Trop de tentatives de connexion en peu de temps. Patientez {LoginResponses.WaitInFrench(wait)} avant de réessayer.",
                };
                await http.RequestServices.GetRequiredService<LoginResponses>().WritePageAsync(http, form, StatusCodes.Status429TooManyRequests);
            };
        });
        return services;
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in attempts limited for client {ClientAddress}")]
    private static partial void LogLimited(ILogger logger, string? clientAddress);

    /// <summary>The gateway cannot start without its signing key: the message names the setting.</summary>
    private sealed class SigningKeyValidation : IValidateOptions<InternalTokenOptions>
    {
        public ValidateOptionsResult Validate(string? name, InternalTokenOptions options) =>
            InternalTokenIssuer.Check(options) is { } problem
                ? ValidateOptionsResult.Fail($"The gateway signs the internal token and needs its private key: {problem}")
                : ValidateOptionsResult.Success;
    }
}
