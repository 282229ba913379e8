using TicketHub.Gateway.OpenApi;
using TicketHub.Gateway.Proxy;
using TicketHub.ServiceDefaults;

namespace TicketHub.Gateway;

public static class GatewayExtensions
{
    /// <summary>
    /// YARP with routes and clusters from the <c>ReverseProxy</c> configuration section (each route
    /// names its coarse access rule, <see cref="Identity.GatewayPolicies"/>), every forwarded request
    /// carrying the caller's internal token instead of the client's headers, and the body limits.
    /// </summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddTransforms(IdentityForwarding.Apply);
        builder.AddRequestBodyLimits();
        builder.AddTrustedProxies();
        builder.AddApiDocument();
        return builder;
    }

    /// <summary>
    /// An <c>/api</c> path that no route serves is a French 404 problem here (after the caller is
    /// authenticated: 401 first), rather than reaching the portal's catch-all route.
    /// </summary>
    public static WebApplication MapUnknownApi(this WebApplication app)
    {
        app.Map("/api/{**rest}", () => Problems.Of(StatusCodes.Status404NotFound, "Aucune API TicketHub ne répond à cette adresse."));
        return app;
    }
}
