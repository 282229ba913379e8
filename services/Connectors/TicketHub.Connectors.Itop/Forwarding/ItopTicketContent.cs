using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>
/// The request's description as iTop shows it: simple HTML (iTop's description is an HTML field), in
/// French, every value a person wrote escaped. Its first line carries the hub reference in brackets,
/// which is what a lookup by reference searches for.
/// </summary>
internal static class ItopTicketContent
{
    // Escapes the characters that matter in HTML; accents stay readable.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// The text that finds a request from its hub reference: <c>[TH-2026-000123]</c>. The standard
    /// UserRequest has no field for an outside reference, so it lives in the description.
    /// </summary>
    public static string Marker(string reference) => $"[{reference}]";

    public static string Render(TicketRouted routed)
    {
        var ticket = routed.Ticket;
        var html = new StringBuilder()
            .Append("<p>Demande transmise par TicketHub, référence TicketHub <strong>")
            .Append(Escape(Marker(routed.Reference))).Append("</strong>.</p>");

        if (routed.Route.Flags.Contains(RouteFlags.DatAmiante, StringComparer.OrdinalIgnoreCase))
        {
            html.Append("<p><strong>⚠ DAT amiante</strong> : collège construit avant 1997 ; un diagnostic amiante avant travaux ")
                .Append("est obligatoire avant d'installer ou de déplacer un VPI/ENI. Prévoir le délai.</p>");
        }

        html.Append("<h3>Description</h3><p>").Append(Paragraph(ticket.Description)).Append("</p>")
            .Append("<h3>Demandeur</h3><ul>");
        ListItem(html, "Nom", ticket.Requester.Name);
        ListItem(html, "Courriel", ticket.Requester.Email);
        ListItem(html, "Téléphone", ticket.Requester.Phone);
        html.Append("</ul><h3>Lieu et matériel</h3><ul>");
        ListItem(html, "Collège", routed.College is { } college ? $"{college.Name} ({college.Uai}), {college.Commune}" : ticket.CollegeUai);
        ListItem(html, "Zone", ticket.Zone);
        ListItem(html, "Emplacement", ticket.Location);
        ListItem(html, "Équipement", ticket.Equipment);
        html.Append("</ul><h3>Orientation</h3><p>").Append(Paragraph(routed.Route.Explanation)).Append("</p><p>Règle ")
            .Append(Escape(routed.Route.Rule)).Append(" (jeu de règles ").Append(Escape(routed.Route.RuleSetVersion)).Append(')');
        if (!string.IsNullOrWhiteSpace(routed.Route.Queue))
        {
            html.Append(", file ").Append(Escape(routed.Route.Queue));
        }

        return html.Append(".</p>").ToString();
    }

    public static string Escape(string text) => Encoder.Encode(text);

    private static void ListItem(StringBuilder html, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            html.Append("<li>").Append(label).Append(" : ").Append(Escape(value)).Append("</li>");
        }
    }

    private static string Paragraph(string text) =>
        string.Join("<br>", text.Trim().ReplaceLineEndings("\n").Split('\n').Select(Escape));
}
