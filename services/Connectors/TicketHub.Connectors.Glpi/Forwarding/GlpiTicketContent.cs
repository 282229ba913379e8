using System.Text;
using TicketHub.Connectors.Shared.Text;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>
/// The ticket's description as GLPI shows it: simple HTML, in French, every value written by a
/// person encoded by <see cref="ToolHtml"/> (paragraphs and line breaks kept). Its first paragraph
/// names the hub reference (<see cref="GlpiReference.ContentOpening"/>): with the title, what finds
/// the ticket again in a GLPI 10, which has no <c>externalid</c>.
/// </summary>
internal static class GlpiTicketContent
{
    public static string Render(TicketRouted routed)
    {
        var ticket = routed.Ticket;
        var html = new StringBuilder();
        // The plain text of this paragraph is GlpiReference.ContentOpening: what a lookup checks.
        html.Append("<p>Demande transmise par TicketHub, référence <strong>").Append(ToolHtml.Encode(routed.Reference)).Append("</strong>.</p>");

        if (routed.Route.Flags.Contains(RouteFlags.DatAmiante, StringComparer.OrdinalIgnoreCase))
        {
            html.Append("<p><strong>⚠ DAT amiante</strong> : collège construit avant 1997. Un diagnostic amiante ")
                .Append("avant travaux est nécessaire avant d'installer ou de déplacer un VPI/ENI ; prévoir le délai.</p>");
        }

        html.Append("<h3>Description</h3>").Append(ToolHtml.FromPlainText(ticket.Description));

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

        html.Append("<h3>Orientation</h3>").Append(ToolHtml.FromPlainText(routed.Route.Explanation));
        html.Append("<p>Règle ").Append(ToolHtml.Encode(routed.Route.Rule))
            .Append(" (jeu de règles ").Append(ToolHtml.Encode(routed.Route.RuleSetVersion)).Append(')');
        if (!string.IsNullOrWhiteSpace(routed.Route.Queue))
        {
            html.Append(", file ").Append(ToolHtml.Encode(routed.Route.Queue));
        }

        html.Append(".</p>");
        return html.ToString();
    }

    private static void Item(StringBuilder html, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            html.Append("<li>").Append(label).Append(" : ").Append(ToolHtml.Encode(value)).Append("</li>");
        }
    }
}
