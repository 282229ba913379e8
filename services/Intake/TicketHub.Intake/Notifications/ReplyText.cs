using System.Net;
using System.Text.RegularExpressions;
using MimeKit;

namespace TicketHub.Intake.Notifications;

/// <summary>
/// What a person wrote in a reply by e-mail, without what they quoted: the text part (or the HTML one
/// without its tags), cut at the first quoted line (« > »), at the line that introduces the quote
/// (« Le 6 déc. 2026 à 10:15, TicketHub a écrit : », « On … wrote: », Outlook's « De : » block or
/// « -----Message d'origine----- »), and at the signature (« -- »).
/// </summary>
public static partial class ReplyText
{
    public static string Extract(MimeMessage message, int maxLength)
    {
        var text = message.TextBody ?? Untag(message.HtmlBody ?? "");
        var kept = new List<string>();
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed.StartsWith('>') || trimmed == "--" || trimmed == "-- " || QuoteIntroduction().IsMatch(trimmed))
            {
                break;
            }

            kept.Add(trimmed);
        }

        var written = string.Join('\n', kept).Trim();
        return written.Length <= maxLength ? written : written[..maxLength];
    }

    private static string Untag(string html) =>
        WebUtility.HtmlDecode(Tags().Replace(LineBreaks().Replace(html, "\n"), ""));

    [GeneratedRegex(@"^(Le .+ a écrit\s?:|On .+ wrote:|-{2,}\s*(Message d'origine|Original Message)\s*-{2,}|De\s?: .+|From: .+)$", RegexOptions.IgnoreCase)]
    private static partial Regex QuoteIntroduction();

    [GeneratedRegex(@"<br\s*/?>|</p>|</div>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreaks();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
