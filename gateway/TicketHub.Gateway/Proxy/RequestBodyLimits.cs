using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace TicketHub.Gateway.Proxy;

/// <summary>
/// Body limits (section <c>Gateway</c>): every request is held to <c>Kestrel:Limits:MaxRequestBodySize</c>
/// (256 KB by default), except the requests that carry attachments, listed in
/// <see cref="LargeBodyRequests"/>, which may reach <see cref="LargeBodyLimit"/>. A listed request may name
/// the media type that carries the attachments (<c>multipart/form-data</c>): the same request in another
/// type (a JSON ticket) keeps the default limit, so the gateway answers its 413 itself rather than
/// streaming a body the service refuses and closes on, which the client would see as a 502.
/// </summary>
public sealed class RequestBodyLimitOptions
{
    public const string SectionName = "Gateway";

    public const long DefaultLimit = 256 * 1024;

    /// <summary>52 MB: five attachments of 10 MB and the form around them.</summary>
    [Range(1, long.MaxValue)]
    public long LargeBodyLimit { get; set; } = 52L * 1024 * 1024;

    /// <summary>
    /// Requests allowed the large limit, each <c>"METHOD /path"</c> (exact path, any case; a segment <c>*</c>
    /// stands for any one segment, such as a ticket's id) or <c>"/path"</c> for any method, optionally
    /// followed by the one media type allowed it (<c>"POST /api/v1/tickets/*/comments multipart/form-data"</c>).
    /// </summary>
    public List<string> LargeBodyRequests { get; set; } = [];

    /// <summary>Whether <paramref name="request"/> may carry a large body.</summary>
    public bool AllowsLargeBody(HttpRequest request)
    {
        var path = request.Path.Value?.TrimEnd('/') ?? "";
        foreach (var entry in LargeBodyRequests)
        {
            var parts = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var pathIndex = Array.FindIndex(parts, p => p.StartsWith('/'));
            if (pathIndex < 0)
            {
                continue;
            }

            var method = pathIndex > 0 ? parts[0] : null;
            var mediaType = pathIndex + 1 < parts.Length ? parts[pathIndex + 1] : null;
            if ((method is null || string.Equals(method, request.Method, StringComparison.OrdinalIgnoreCase))
                && PathMatches(parts[pathIndex].TrimEnd('/'), path)
                && (mediaType is null || HasMediaType(request, mediaType)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PathMatches(string pattern, string path)
    {
        var expected = pattern.Split('/');
        var actual = path.Split('/');
        if (expected.Length != actual.Length)
        {
            return false;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] == "*" ? actual[i].Length == 0 : !string.Equals(expected[i], actual[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasMediaType(HttpRequest request, string mediaType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase);
}

public static class RequestBodyLimits
{
    /// <summary>
    /// The body limit from <c>Kestrel:Limits:MaxRequestBodySize</c> (256 KB by default), applied to
    /// Kestrel here because the generic host does not bind that key to Kestrel's limits by itself.
    /// </summary>
    public static IHostApplicationBuilder AddRequestBodyLimits(this IHostApplicationBuilder builder)
    {
        var limit = DefaultLimit(builder.Configuration);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = limit);
        builder.Services.AddOptions<RequestBodyLimitOptions>()
            .BindConfiguration(RequestBodyLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// Sets each request's limit (raised for the listed attachment-carrying requests), refuses a
    /// declared length over it with a 413 ProblemDetails before anything is forwarded, and turns an
    /// over-long chunked body that YARP could not forward into the same 413 rather than a bare 400.
    /// </summary>
    public static WebApplication UseRequestBodyLimits(this WebApplication app)
    {
        var defaultLimit = DefaultLimit(app.Configuration);
        var options = app.Services.GetRequiredService<IOptions<RequestBodyLimitOptions>>().Value;
        app.Use(async (context, next) =>
        {
            var limit = options.AllowsLargeBody(context.Request) ? options.LargeBodyLimit : defaultLimit;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            if (context.Request.ContentLength > limit)
            {
                await WriteTooLargeAsync(context, limit);
                return;
            }

            await next(context);

            var error = context.GetForwarderErrorFeature();
            if (error?.Error == ForwarderError.RequestBodyClient
                && error.Exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                && !context.Response.HasStarted)
            {
                await WriteTooLargeAsync(context, limit);
            }
        });
        return app;
    }

    private static long DefaultLimit(IConfiguration configuration) =>
        configuration.GetValue("Kestrel:Limits:MaxRequestBodySize", RequestBodyLimitOptions.DefaultLimit);

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
                Detail = limit >= 1024 * 1024
                    ? $"Le corps de la requête dépasse la taille autorisée ({limit / (1024 * 1024)} Mo)."
                    : $"Le corps de la requête dépasse la taille autorisée ({limit / 1024} Ko).",
            },
        });
    }
}
