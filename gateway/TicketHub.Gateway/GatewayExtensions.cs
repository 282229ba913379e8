using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Yarp.ReverseProxy.Forwarder;

namespace TicketHub.Gateway;

public static class GatewayExtensions
{
    private const long DefaultMaxRequestBodySize = 256 * 1024;

    /// <summary>
    /// YARP with routes and clusters from the <c>ReverseProxy</c> configuration section, and the body
    /// limit from <c>Kestrel:Limits:MaxRequestBodySize</c> (256 KB by default). The limit is bound
    /// here because the generic host does not apply that key to Kestrel's limits by itself: without
    /// this, the gateway accepted 30 MB and left the refusal to intake.
    /// </summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        var limit = builder.Configuration.GetValue("Kestrel:Limits:MaxRequestBodySize", DefaultMaxRequestBodySize);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = limit);
        return builder;
    }

    /// <summary>
    /// Refuses bodies over Kestrel's <c>MaxRequestBodySize</c> with a 413 ProblemDetails before
    /// anything is forwarded (declared length), and turns an over-long chunked body that YARP could
    /// not forward into the same 413 rather than a bare 400.
    /// </summary>
    public static WebApplication UseRequestSizeLimit(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            if (limit is not null && context.Request.ContentLength > limit)
            {
                await WriteTooLargeAsync(context, limit.Value);
                return;
            }

            await next(context);

            var error = context.GetForwarderErrorFeature();
            if (error?.Error == ForwarderError.RequestBodyClient
                && error.Exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                && !context.Response.HasStarted
                && limit is not null)
            {
                await WriteTooLargeAsync(context, limit.Value);
            }
        });
        return app;
    }

    private static async Task WriteTooLargeAsync(HttpContext context, long limit)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Detail = $"Le corps de la requête dépasse la taille autorisée ({limit / 1024} Ko).",
            },
        });
    }
}
