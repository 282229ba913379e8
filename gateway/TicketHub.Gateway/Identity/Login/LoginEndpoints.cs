using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TicketHub.Gateway.Identity.Accounts;
using TicketHub.Gateway.Identity.Oidc;

namespace TicketHub.Gateway.Identity.Login;

/// <summary>
/// <c>GET/POST /connexion</c> (local accounts), <c>GET /connexion/oidc</c> (the identity provider,
/// when configured) and <c>POST /deconnexion</c>. The gateway signs people in; the portal behind it
/// only reads the internal token the gateway forwards.
/// </summary>
public static partial class LoginEndpoints
{
    public const string LoginPath = "/connexion";
    public const string LogoutPath = "/deconnexion";
    public const string OidcPath = "/connexion/oidc";

    public const string WrongCredentials = "Identifiant ou mot de passe incorrect.";

    /// <summary>The form of a sign-in is small: anything bigger is not one.</summary>
    private static readonly FormOptions LoginFormLimits = new()
    {
        ValueCountLimit = 16,
        KeyLengthLimit = 64,
        ValueLengthLimit = 4096,
        MultipartBodyLengthLimit = 16 * 1024,
    };

    public static WebApplication MapLoginEndpoints(this WebApplication app)
    {
        app.MapGet(LoginPath, (HttpContext context, [FromQuery(Name = "retour")] string? retour, LoginResponses responses) =>
            responses.Page(context, new LoginForm(ReturnPath.Sanitize(retour)), StatusCodes.Status200OK)).AllowAnonymous();
        app.MapPost(LoginPath, SignInAsync).AllowAnonymous();
        app.MapPost(LogoutPath, (Delegate)SignOutAsync).AllowAnonymous();
        app.MapGet(OidcPath, Challenge).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Reads the form of <c>POST /connexion</c> before the rate limiter, which partitions by login;
    /// a form it cannot read is left to the endpoint, which answers 400.
    /// </summary>
    public static WebApplication UseLoginFormReading(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (IsLoginAttempt(context.Request))
            {
                await TryReadFormAsync(context);
            }

            await next(context);
        });
        return app;
    }

    public static bool IsLoginAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>The login typed in an already read sign-in form, normalised; empty when none.</summary>
    public static string AttemptedLogin(HttpContext context) =>
        context.Features.Get<IFormFeature>()?.Form is { } form ? LocalAccount.NormalizeLogin(form["login"].ToString()) : "";

    private static async Task<IFormCollection?> TryReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await context.Request.ReadFormAsync(LoginFormLimits, context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context,
        IAntiforgery antiforgery,
        LoginResponses responses,
        PasswordSignIn passwords,
        SignInThrottle throttle,
        DeviceCookie devices,
        ILoggerFactory loggers)
    {
        var form = await TryReadFormAsync(context);
        if (form is null)
        {
            return responses.Page(context, new LoginForm(ReturnPath.Home) { FormError = "Le formulaire reçu est illisible. Rechargez la page et réessayez." },
                StatusCodes.Status400BadRequest);
        }

        var login = form["login"].ToString().Trim();
        var password = form["password"].ToString();
        var page = new LoginForm(ReturnPath.Sanitize(form["retour"].ToString()), login);
        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return responses.Page(context, page with { FormError = "Le formulaire a expiré ou ne vient pas de cette page. Saisissez à nouveau vos identifiants." },
                StatusCodes.Status400BadRequest);
        }

        if (login.Length == 0 || password.Length == 0)
        {
            return responses.Page(context, page with
            {
                LoginError = login.Length == 0 ? "Saisissez votre identifiant." : null,
                PasswordError = password.Length == 0 ? "Saisissez votre mot de passe." : null,
            }, StatusCodes.Status400BadRequest);
        }

        var normalized = LocalAccount.NormalizeLogin(login);
        var deviceId = devices.DeviceIdFor(context.Request, normalized);
        var buckets = throttle.BucketsFor(normalized, deviceId, ClientAddress(context));
        var wait = throttle.WaitBeforeAttempt(buckets);
        if (wait > TimeSpan.Zero)
        {
            LogSlowedDown(loggers.CreateLogger(typeof(LoginEndpoints)), ClientAddress(context));
            return responses.TooManyAttempts(context, page, wait);
        }

        var account = login.Length <= 100 && password.Length <= 1024
            ? await passwords.VerifyAsync(login, password, context.RequestAborted)
            : null;
        if (account is null)
        {
            throttle.Failed(buckets);
            LogRefused(loggers.CreateLogger(typeof(LoginEndpoints)));
            return responses.Page(context, page with { FormError = WrongCredentials }, StatusCodes.Status400BadRequest);
        }

        throttle.Succeeded(buckets);
        devices.Issue(context.Response, normalized, deviceId);

        await context.SignInAsync(GatewayAuthentication.CookieScheme,
            HubPrincipals.Create(account.ToHubUser(), GatewayAuthentication.CookieScheme, HubPrincipals.LocalProvider),
            new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
        LogSignedIn(loggers.CreateLogger(typeof(LoginEndpoints)), account.Login, account.Role);
        return SeeOther(context, page.ReturnPath);
    }

    /// <summary>The client's address: the TCP peer, or the address a trusted proxy forwarded (<c>Gateway:TrustedProxies</c>).</summary>
    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "?";

    private static async Task<IResult> SignOutAsync(HttpContext context)
    {
        if (!SameOrigin.IsSameOrigin(context.Request))
        {
            return LoginResponses.Message(context, "Déconnexion refusée",
                "La demande de déconnexion ne vient pas de TicketHub. Utilisez le bouton « Se déconnecter » du portail.", StatusCodes.Status403Forbidden);
        }

        await context.SignOutAsync(GatewayAuthentication.CookieScheme);
        return SeeOther(context, LoginPath);
    }

    private static IResult Challenge(HttpContext context, [FromQuery(Name = "retour")] string? retour, IOptions<OidcSettings> oidc)
    {
        if (!oidc.Value.Enabled)
        {
            return LoginResponses.Message(context, "Connexion indisponible",
                "La connexion par un fournisseur d'identité n'est pas configurée. Utilisez votre identifiant et votre mot de passe TicketHub.", StatusCodes.Status404NotFound);
        }

        return Results.Challenge(new AuthenticationProperties { RedirectUri = ReturnPath.Sanitize(retour) }, [GatewayAuthentication.OidcScheme]);
    }

    /// <summary>303: the browser follows with a GET.</summary>
    private static IResult SeeOther(HttpContext context, string location)
    {
        context.Response.Headers.Location = location;
        context.Response.Headers.CacheControl = "no-store";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused: unknown login, wrong password or disabled account")]
    private static partial void LogRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in attempt slowed down after repeated failures from client {ClientAddress}")]
    private static partial void LogSlowedDown(ILogger logger, string clientAddress);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Login} signed in ({Role})")]
    private static partial void LogSignedIn(ILogger logger, string login, string role);
}

/// <summary>
/// Whether a state-changing request comes from a page of this site: the browser says so in
/// <c>Sec-Fetch-Site</c> (<c>same-origin</c>, or <c>none</c> when typed by the user), or, for a
/// browser that does not send it, <c>Origin</c> names this host.
/// </summary>
public static class SameOrigin
{
    public static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0
            && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
