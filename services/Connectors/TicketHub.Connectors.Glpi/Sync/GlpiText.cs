using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace TicketHub.Connectors.Glpi.Sync;

/// <summary>
/// What a technician wrote in GLPI's rich-text editor, as plain text for the collège: paragraphs and
/// line breaks kept, list items as dashes, every tag dropped, entities decoded.
/// </summary>
internal static partial class GlpiText
{
    public static string ToPlainText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return "";
        }

        var text = html;
        // GLPI 9.5 and 10 store rich text HTML-encoded ("&lt;p&gt;Bonjour&lt;/p&gt;") and the API
        // returns it as stored: decode once more when no tag is left in clear.
        if (!text.Contains('<', StringComparison.Ordinal) && text.Contains("&lt;", StringComparison.Ordinal))
        {
            text = WebUtility.HtmlDecode(text);
        }

        text = Invisible().Replace(text, "");
        text = ParagraphEnd().Replace(text, "\n\n");
        text = LineBreak().Replace(text, "\n");
        text = ListItem().Replace(text, "\n- ");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text).Replace('\u00A0', ' ');

        var lines = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = Spaces().Replace(raw, " ").Trim();
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (lines.Length > 0)
            {
                lines.Append(blank > 0 ? "\n\n" : "\n");
            }

            lines.Append(line);
            blank = 0;
        }

        return lines.ToString();
    }

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Invisible();

    [GeneratedRegex(@"</(p|h[1-6]|blockquote|table|ul|ol)\s*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ParagraphEnd();

    [GeneratedRegex(@"<br\s*/?>|</(div|tr)\s*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t\f\v]+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
