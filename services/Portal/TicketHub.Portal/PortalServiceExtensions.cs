using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using TicketHub.Portal.Display;
using TicketHub.Portal.Security;
using TicketHub.Portal.Services;

namespace TicketHub.Portal;

public static class PortalServiceExtensions
{
    /// <summary>The portal's composition root: pages, who may open them, antiforgery, the service clients.</summary>
    /// <summary>The gateway's setting, read here too: one switch for every cookie of the site.</summary>
    public const string SecureCookiesKey = "Identity:Cookie:Secure";

    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServiceAddresses>()
            .BindConfiguration(ServiceAddresses.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<PortalOptions>()
            .BindConfiguration(PortalOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => FrenchFormat.TryFindTimeZone(options.TimeZone) is not null, "Portal:TimeZone must name a known time zone (e.g. Europe/Paris).")
            .ValidateOnStart();

        var portal = builder.Configuration.GetSection(PortalOptions.SectionName).Get<PortalOptions>() ?? new PortalOptions();

        // Five attachments of 10 MB and the form around them; Kestrel refuses more with 413.
        var maxBody = (portal.MaxAttachments * portal.MaxAttachmentBytes) + (1024 * 1024);
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = maxBody);
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = maxBody);

        // French stays readable in the HTML (« é », not « &#xE9; »); markup characters are still encoded.
        builder.Services.AddWebEncoders(encoders => encoders.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddPortalAuthorization();
        builder.Services.AddRazorPages(pages => pages.Conventions.AddPortalPageRules())
            .AddMvcOptions(mvc => mvc.Filters.Add<AntiforgeryFailureMarker>());
        // Antiforgery on every form (Razor Pages' default). The cookie is marked Secure from the
        // setting the gateway uses for its own (Identity:Cookie:Secure): the portal, behind the
        // gateway, sees plain HTTP even when the browser speaks HTTPS, and browsers treat
        // http://localhost as secure. Its name differs from the gateway's, which the gateway strips.
        var secureCookies = builder.Configuration.GetValue(SecureCookiesKey, true);
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie = secureCookies ? new SecureCookieBuilder() : new CookieBuilder();
            antiforgery.Cookie.Name = secureCookies ? "__Host-TicketHub-Antiforgery" : "TicketHub-Portal-Antiforgery";
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.None;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.Path = "/";
            antiforgery.Cookie.IsEssential = true;
            antiforgery.SuppressXFrameOptionsHeader = true; // SecurityHeaders sends it for every response
        });

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<ForwardAuthorizationHandler>();
        builder.Services.AddHttpClient<IntakeClient>((services, http) =>
            {
                http.BaseAddress = services.GetRequiredService<IOptions<ServiceAddresses>>().Value.Intake;
                http.Timeout = TimeSpan.FromSeconds(60);
            })
            .AddHttpMessageHandler<ForwardAuthorizationHandler>();
        builder.Services.AddHttpClient<ClassifierClient>((services, http) =>
            {
                http.BaseAddress = services.GetRequiredService<IOptions<ServiceAddresses>>().Value.Classifier;
                http.Timeout = TimeSpan.FromSeconds(30);
            })
            .AddHttpMessageHandler<ForwardAuthorizationHandler>();
        builder.Services.AddSingleton<FrenchFormat>();
        return builder;
    }

    /// <summary>
    /// Errors as French pages (never a stack trace), the security headers, the static files (DSFR,
    /// the portal's style sheet), before authentication: a page needs a user, a style sheet does not.
    /// </summary>
    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        app.UseExceptionHandler("/erreur");
        app.UseStatusCodePagesWithReExecute("/erreur/{0}");
        app.UseSecurityHeaders();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
                context.Context.Response.Headers.CacheControl = "public, max-age=86400",
        });
        return app;
    }

    /// <summary>Whether the 400 being shown is a refused antiforgery token (the form has expired).</summary>
    internal static bool IsAntiforgeryFailure(HttpContext context) => context.Items.ContainsKey(AntiforgeryFailureMarker.Key);

    /// <summary>
    /// Always writes <c>Secure</c>, without the framework's refusal to do so on a plain-HTTP request
    /// (<see cref="CookieSecurePolicy.Always"/> throws there, and behind the gateway every request is).
    /// </summary>
    private sealed class SecureCookieBuilder : CookieBuilder
    {
        public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
        {
            var options = base.Build(context, expiresFrom);
            options.Secure = true;
            return options;
        }
    }

    /// <summary>Marks a request whose antiforgery token was refused, for the French error page.</summary>
    private sealed class AntiforgeryFailureMarker : IAlwaysRunResultFilter
    {
        public const string Key = "TicketHub.AntiforgeryFailed";

        public void OnResultExecuting(ResultExecutingContext context)
        {
            if (context.Result is Microsoft.AspNetCore.Mvc.Core.Infrastructure.IAntiforgeryValidationFailedResult)
            {
                context.HttpContext.Items[Key] = true;
            }
        }

        public void OnResultExecuted(ResultExecutedContext context)
        {
        }
    }
}
