namespace TicketHub.Gateway.Proxy;

/// <summary>
/// Every answer under <c>/api</c> carries <c>Cache-Control: no-store</c>, whoever wrote it (a service
/// or the gateway's own 401, 403, 404, 413): tickets, names and e-mail addresses must not stay in a
/// shared proxy's cache or in the browser's after sign-out.
/// </summary>
public static class NoStoreOnApi
{
    public static WebApplication UseNoStoreOnApi(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.CacheControl = "no-store";
                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
        return app;
    }
}
