using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace TicketHub.ServiceDefaults;

/// <summary>
/// The <c>charset</c> of a request's <c>Content-Type</c>: one that .NET cannot decode is a 415 here,
/// instead of an exception (a 500) deep inside JSON binding; a quoted one (<c>charset="utf-8"</c>,
/// valid HTTP) is unquoted, since the framework would not recognise it otherwise.
/// </summary>
internal static class RequestCharset
{
    public static IApplicationBuilder UseRequestCharsetCheck(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) && mediaType.Charset.HasValue)
            {
                var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).ToString();
                if (!IsSupported(charset))
                {
                    await RefuseAsync(context, charset);
                    return;
                }

                if (charset.Length != mediaType.Charset.Length)
                {
                    mediaType.Charset = charset;
                    context.Request.ContentType = mediaType.ToString();
                }
            }

            await next(context);
        });

    private static bool IsSupported(string charset)
    {
        if (charset.Length == 0)
        {
            return false;
        }

        try
        {
            Encoding.GetEncoding(charset);
            return true;
        }
        catch (ArgumentException)
        {
            // Encoding.GetEncoding's only way to say "unknown name".
            return false;
        }
    }

    private static async Task RefuseAsync(HttpContext context, string charset)
    {
        context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        var shown = charset.Length > 40 ? charset[..40] + "…" : charset;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Detail = $"Le jeu de caractères « {shown} » n'est pas pris en charge : envoyez le corps en UTF-8 (charset=utf-8).",
            },
        });
    }
}
