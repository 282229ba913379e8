using System.Text;
using TicketHub.Connectors.Shared.Text;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>
/// The ticket's description as iTop shows it: simple HTML (iTop's description is an HTML field), in
/// French, every value a person wrote through <see cref="ToolHtml"/> (encoded, its paragraphs and
/// lines kept). Its first line carries the hub reference in brackets, which is what a lookup by
/// reference searches for; the requester's name, e-mail and phone follow (the caller is the collège's).
/// </summary>
internal static class ItopTicketContent
{
    /// <summary>
    /// The text that finds a request from its hub reference: <c>[TH-2026-000123]</c>. The standard
    /// UserRequest has no field for an outside reference, so it lives in the description.
    /// </summary>
    public static string Marker(string reference) => $"[{reference}]";

    /// <summary>
    /// The hub's own id of the ticket, as the description writes it: a reference is unique in one
    /// hub, not across hubs (a reinstalled hub, a test hub) writing to the same iTop; this is.
    /// </summary>
    public static string IdMarker(Guid ticketId) => $"identifiant {ticketId:D}";

    /// <summary>
    /// Whether <paramref name="description"/> is that of the ticket <paramref name="ticketId"/> of
    /// reference <paramref name="reference"/>: it carries both. The reference alone is not enough:
    /// a reinstalled hub, or a test hub, writing to the same iTop numbers its tickets from 1 again.
    /// </summary>
    public static bool IsDescriptionOf(string? description, Guid ticketId, string reference) =>
        description is not null
        && description.Contains(Marker(reference), StringComparison.Ordinal)
        && description.Contains(IdMarker(ticketId), StringComparison.OrdinalIgnoreCase);

    public static string Render(TicketRouted routed)
    {
        var ticket = routed.Ticket;
        var html = new StringBuilder()
            .Append("<p>Demande transmise par TicketHub, référence TicketHub <strong>")
            .Append(Escape(Marker(routed.Reference))).Append("</strong> (").Append(IdMarker(routed.TicketId)).Append(").</p>");

        if (routed.Route.Flags.Contains(RouteFlags.DatAmiante, StringComparer.OrdinalIgnoreCase))
        {
            html.Append("<p><strong>⚠ DAT amiante</strong> : collège construit avant 1997 ; un diagnostic amiante avant travaux ")
                .Append("est obligatoire avant d'installer ou de déplacer un VPI/ENI. Prévoir le délai.</p>");
        }

        html.Append("<h3>Description</h3>").Append(ToolHtml.FromPlainText(ticket.Description))
            .Append("<h3>Demandeur</h3><ul>");
        ListItem(html, "Nom", ticket.Requester.Name);
        ListItem(html, "Courriel", ticket.Requester.Email);
        ListItem(html, "Téléphone", ticket.Requester.Phone);
        html.Append("</ul><h3>Lieu et matériel</h3><ul>");
        ListItem(html, "Collège", routed.College is { } college ? $"{college.Name} ({college.Uai}), {college.Commune}" : ticket.CollegeUai);
        ListItem(html, "Zone", ticket.Zone);
        ListItem(html, "Emplacement", ticket.Location);
        ListItem(html, "Équipement", ticket.Equipment);
        html.Append("</ul><h3>Orientation</h3>").Append(ToolHtml.FromPlainText(routed.Route.Explanation)).Append("<p>Règle ")
            .Append(Escape(routed.Route.Rule)).Append(" (jeu de règles ").Append(Escape(routed.Route.RuleSetVersion)).Append(')');
        if (!string.IsNullOrWhiteSpace(routed.Route.Queue))
        {
            html.Append(", file ").Append(Escape(routed.Route.Queue));
        }

        return html.Append(".</p>").ToString();
    }

    private static string Escape(string text) => ToolHtml.Encode(text);

    private static void ListItem(StringBuilder html, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            html.Append("<li>").Append(label).Append(" : ").Append(Escape(value)).Append("</li>");
        }
    }
}
