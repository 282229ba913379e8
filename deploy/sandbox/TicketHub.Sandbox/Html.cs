using System.Net;
using System.Text;

namespace TicketHub.Sandbox;

/// <summary>The sandbox's pages: plain HTML in French, every value escaped, no script.</summary>
internal static class Html
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d2733; }
        table { border-collapse: collapse; width: 100%; }
        th, td { border: 1px solid #c9d1d9; padding: .35rem .5rem; text-align: left; vertical-align: top; }
        th { background: #eef2f6; }
        form { display: inline-flex; gap: .3rem; margin: .1rem 0; }
        iframe { width: 100%; min-height: 22rem; border: 1px solid #c9d1d9; }
        .muted { color: #5b6776; }
        """;

    /// <summary>Escapes text for HTML content and quoted attributes.</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary><c>512 octets</c>, <c>350 Ko</c>, <c>1,2 Mo</c>, as a French interface writes a size.</summary>
    public static string FileSize(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) + (bytes > 1 ? " octets" : " octet"),
        < 1024 * 1024 => Math.Round(bytes / 1024d, MidpointRounding.AwayFromZero).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " Ko",
        _ => (bytes / (1024d * 1024d)).ToString("0.#", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")) + " Mo",
    };

    public static IResult Page(HttpContext http, string title, string body)
    {
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>")
            .Append(Escape(title))
            .Append("</title><style>").Append(Style).Append("</style></head><body>")
            .Append(body)
            .Append("</body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
