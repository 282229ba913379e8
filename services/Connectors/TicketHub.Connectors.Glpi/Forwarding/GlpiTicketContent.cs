using System.Text;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>
/// The ticket's description as GLPI shows it: simple HTML, in French, every value written by a
/// person escaped.
/// </summary>
internal static class GlpiTicketContent
{
    public static string Render(TicketRouted routed)
    {
        var ticket = routed.Ticket;
        var html = new StringBuilder();
        html.Append("<p>Demande transmise par TicketHub, référence <strong>").Append(Escape(routed.Reference)).Append("</strong>.</p>");

        if (routed.Route.Flags.Contains(RouteFlags.DatAmiante, StringComparer.OrdinalIgnoreCase))
        {
            html.Append("<p><strong>⚠ DAT amiante</strong> : collège construit avant 1997. Un diagnostic amiante ")
                .Append("avant travaux est nécessaire avant d'installer ou de déplacer un VPI/ENI ; prévoir le délai.</p>");
        }

        html.Append("<h3>Description</h3><p>").Append(Multiline(ticket.Description)).Append("</p>");

        html.Append("<h3>Demandeur</h3><ul>");
        Item(html, "Nom", ticket.Requester.Name);
        Item(html, "Courriel", ticket.Requester.Email);
        Item(html, "Téléphone", ticket.Requester.Phone);
        html.Append("</ul>");

        html.Append("<h3>Lieu et matériel</h3><ul>");
        Item(html, "Collège", routed.College is { } college
            ? $"{college.Name} ({college.Uai}), {college.Commune}"
            : ticket.CollegeUai);
        Item(html, "Zone", ticket.Zone);
        Item(html, "Emplacement", ticket.Location);
        Item(html, "Équipement", ticket.Equipment);
        html.Append("</ul>");

        html.Append("<h3>Orientation</h3><p>").Append(Multiline(routed.Route.Explanation)).Append("</p>");
        html.Append("<p>Règle ").Append(Escape(routed.Route.Rule))
            .Append(" (jeu de règles ").Append(Escape(routed.Route.RuleSetVersion)).Append(')');
        if (!string.IsNullOrWhiteSpace(routed.Route.Queue))
        {
            html.Append(", file ").Append(Escape(routed.Route.Queue));
        }

        html.Append(".</p>");
        return html.ToString();
    }

    private static void Item(StringBuilder html, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            html.Append("<li>").Append(label).Append(" : ").Append(Escape(value)).Append("</li>");
        }
    }

    /// <summary>Escaped text whose line breaks become <c>&lt;br&gt;</c>.</summary>
    public static string Multiline(string text) =>
        Escape(text.Trim()).ReplaceLineEndings("\n").Replace("\n", "<br>", StringComparison.Ordinal);

    /// <summary>Escapes the five characters that matter in HTML text and attributes; accents stay readable.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => escaped.Append("&amp;"),
                '<' => escaped.Append("&lt;"),
                '>' => escaped.Append("&gt;"),
                '"' => escaped.Append("&quot;"),
                '\'' => escaped.Append("&#39;"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }
}
