using TicketHub.Gateway.Identity.ApiKeys;
using TicketHub.ServiceDefaults;

namespace TicketHub.Gateway.Identity;

/// <summary>
/// Cross-site request forgery on the API (issue 12): a write to <c>/api</c> authenticated by the
/// session cookie must carry <c>X-TicketHub-Csrf: 1</c>. A page of another origin (a sibling
/// subdomain included, which SameSite=Lax does not stop) cannot add a custom header without a CORS
/// preflight, which the gateway never grants; a form or a "simple" fetch cannot send it at all.
/// Scripts with an API key are not concerned: the key is not sent by a browser on its own.
/// </summary>
public static class CookieApiWrites
{
    public const string HeaderName = "X-TicketHub-Csrf";

    public static WebApplication UseCsrfHeaderForCookieApiWrites(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (NeedsHeader(context) && context.Request.Headers[HeaderName].ToString() != "1")
            {
                await Problems.Of(StatusCodes.Status403Forbidden,
                        $"Une écriture par l'API avec la session du navigateur doit porter l'en-tête {HeaderName}: 1 (protection contre la falsification de requêtes). Un script utilise plutôt une clé d'API (X-Api-Key).")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    private static bool NeedsHeader(HttpContext context)
    {
        var request = context.Request;
        return request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
            && !request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
            && context.User.Identity?.IsAuthenticated == true;
    }
}
