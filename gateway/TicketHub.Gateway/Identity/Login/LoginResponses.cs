using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using TicketHub.Gateway.Identity.Oidc;

namespace TicketHub.Gateway.Identity.Login;

/// <summary>Writes the sign-in page (with a fresh antiforgery token) and its security headers.</summary>
public sealed class LoginResponses(IAntiforgery antiforgery, IOptions<OidcSettings> oidc)
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    public IResult Page(HttpContext context, LoginForm form, int statusCode)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = LoginPage.Render(form, tokens.FormFieldName, tokens.RequestToken!, oidc.Value.Enabled ? oidc.Value.DisplayName : null);
        return Html(context, html, statusCode);
    }

    /// <summary>Writes the page directly: for the rate limiter's rejection, which has no endpoint result.</summary>
    public Task WritePageAsync(HttpContext context, LoginForm form, int statusCode) => Page(context, form, statusCode).ExecuteAsync(context);

    /// <summary>429 with <c>Retry-After</c> and the page saying how long to wait, in French.</summary>
    public IResult TooManyAttempts(HttpContext context, LoginForm form, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Page(context, form with { FormError = $"Trop de tentatives de connexion en peu de temps. Patientez {WaitInFrench(wait)} avant de réessayer." },
            StatusCodes.Status429TooManyRequests);
    }

    /// <summary>« 1 minute », « 5 minutes », « 30 secondes »: how long to wait, rounded up.</summary>
    public static string WaitInFrench(TimeSpan wait)
    {
        if (wait >= TimeSpan.FromMinutes(1))
        {
            var minutes = (int)Math.Ceiling(wait.TotalMinutes);
            return $"{minutes} minute{(minutes > 1 ? "s" : "")}";
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return $"{seconds} seconde{(seconds > 1 ? "s" : "")}";
    }

    public static IResult Message(HttpContext context, string title, string message, int statusCode) =>
        Html(context, LoginPage.RenderMessage(title, message), statusCode);

    private static IResult Html(HttpContext context, string html, int statusCode)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.XContentTypeOptions = "nosniff";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }
}
