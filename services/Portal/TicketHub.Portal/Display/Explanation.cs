using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;

namespace TicketHub.Portal.Display;

/// <summary>
/// A route's explanation as a collège reads it: the text encoded, and the web addresses it cites
/// (the ENT's assistance form, the Région's contact) made into links. Nothing else is interpreted.
/// </summary>
public static partial class Explanation
{
    public static IHtmlContent WithLinks(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return HtmlString.Empty;
        }

        var html = new HtmlContentBuilder();
        var at = 0;
        foreach (Match match in Url().Matches(text))
        {
            html.Append(text[at..match.Index]);
            var url = match.Value.TrimEnd('.', ',', ';', ':', ')');
            html.AppendHtml($"<a href=\"{HtmlEncoder.Default.Encode(url)}\" rel=\"noopener noreferrer\">{HtmlEncoder.Default.Encode(url)}</a>");
            at = match.Index + url.Length;
        }

        html.Append(text[at..]);
        return html;
    }

    /// <summary>The web addresses an explanation cites.</summary>
    public static IReadOnlyList<string> Links(string? text) =>
        string.IsNullOrEmpty(text) ? [] : Url().Matches(text).Select(m => m.Value.TrimEnd('.', ',', ';', ':', ')')).ToList();

    [GeneratedRegex(@"https?://[^\s<>""()]+", RegexOptions.CultureInvariant)]
    private static partial Regex Url();
}
