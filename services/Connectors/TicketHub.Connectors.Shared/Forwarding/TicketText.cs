using System.Globalization;
using System.Text;
using TicketHub.Connectors.Shared.Api;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Forwarding;

/// <summary>
/// The ticket as a person reads it in an e-mail or in the relay queue: plain text, in French, every
/// field on its own labelled line so that an operator can copy it into the tool, and a mailbox rule
/// can read it.
/// </summary>
internal sealed class TicketText(ToolDescriptor tool)
{
    private static readonly TimeZoneInfo ParisZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>The queue inside the tool: the route's, else (Omère) the collège's UT.</summary>
    public string? QueueOf(TicketRouted routed) =>
        !string.IsNullOrWhiteSpace(routed.Route.Queue) ? routed.Route.Queue
        : tool.QueueIsUt ? routed.College?.Ut
        : null;

    /// <summary><c>[TH-2026-000123] Imprimante en panne</c>: the reference first, so a reply keeps it.</summary>
    public static string Subject(string reference, string title) => $"[{reference}] {OneLine(title)}";

    /// <summary>The ticket as the contract's NewTicket: the http mode's body, the e-mail's JSON part.</summary>
    public ToolNewTicket Structured(TicketRouted routed)
    {
        var ticket = routed.Ticket;
        return new ToolNewTicket
        {
            Reference = routed.Reference,
            Title = ticket.Title,
            Description = AttachmentsNote(ticket.Attachments) is { } note ? $"{ticket.Description.TrimEnd()}\n\n{note}" : ticket.Description,
            Category = ticket.Category,
            Type = ticket.Type,
            Urgency = ticket.Urgency,
            Queue = QueueOf(routed),
            Location = ticket.Location,
            Equipment = ticket.Equipment,
            Flags = routed.Route.Flags,
            College = routed.College is { } college
                ? new ToolCollege(college.Uai, college.Name, college.Commune, college.Ut)
                : new ToolCollege(ticket.CollegeUai, ticket.CollegeUai, null, null),
            Requester = new ToolRequester(ticket.Requester.Name, ticket.Requester.Email, ticket.Requester.Phone),
            Routing = new ToolRouting(routed.Route.Rule, routed.Route.Explanation),
            CreatedAt = routed.CreatedAt,
        };
    }

    public string Body(TicketRouted routed)
    {
        var ticket = routed.Ticket;
        var text = new StringBuilder();
        text.Append("Demande transmise par TicketHub à ").Append(tool.DisplayName).Append('\n');
        Line(text, "Référence", routed.Reference);
        Line(text, "Déposée le", InParis(routed.CreatedAt));
        if (routed.Route.Flags.Contains(RouteFlags.DatAmiante, StringComparer.OrdinalIgnoreCase))
        {
            text.Append('\n').Append("⚠ DAT amiante : collège construit avant 1997. Consulter le dossier technique amiante ")
                .Append("(diagnostic avant travaux) avant toute intervention.").Append('\n');
        }

        text.Append('\n');
        Line(text, "Collège", routed.College is { } college ? $"{college.Name} ({college.Uai}), {college.Commune}" : ticket.CollegeUai);
        Line(text, "UT", routed.College?.Ut);
        Line(text, "File", QueueOf(routed));
        Line(text, "Demandeur", ticket.Requester.Name);
        Line(text, "Courriel", ticket.Requester.Email);
        Line(text, "Téléphone", ticket.Requester.Phone);
        Line(text, "Catégorie", ticket.Category);
        Line(text, "Type", ticket.Type == "request" ? "demande" : "incident");
        Line(text, "Urgence", Urgency(ticket.Urgency));
        Line(text, "Zone", ticket.Zone);
        Line(text, "Lieu", ticket.Location);
        Line(text, "Équipement", ticket.Equipment);
        text.Append('\n');
        Line(text, "Objet", ticket.Title);
        text.Append("Description :\n").Append(ticket.Description.Trim().ReplaceLineEndings("\n")).Append("\n\n");
        if (AttachmentsNote(ticket.Attachments) is { } note)
        {
            text.Append(note).Append("\n\n");
        }

        Line(text, "Orientation", $"{OneLine(routed.Route.Explanation)} (règle {routed.Route.Rule}, jeu de règles {routed.Route.RuleSetVersion})");
        return text.ToString();
    }

    /// <summary>A comment (the collège's, the Pôle TIE's, or a visit's: <see cref="CommentHeading"/>), to add to the tool's ticket <paramref name="externalId"/>.</summary>
    public string CommentBody(TicketCommentAdded comment, string? externalId)
    {
        var text = new StringBuilder();
        text.Append(CommentHeading.Subject(comment)).Append(" pour la demande ").Append(comment.Reference);
        if (externalId is not null)
        {
            text.Append(" (").Append(tool.DisplayName).Append(' ').Append(externalId).Append(')');
        }

        text.Append('\n');
        Line(text, "Auteur", comment.AuthorName);
        Line(text, "Écrit le", InParis(comment.At));
        text.Append('\n').Append(comment.Text.Trim().ReplaceLineEndings("\n")).Append('\n');
        if (AttachmentsNote(comment.Attachments) is { } note)
        {
            text.Append('\n').Append(note).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The comment's text as a tool without files takes it (PASS, Omère): followed by the names of its files, which the hub keeps.</summary>
    public string CommentMessage(TicketCommentAdded comment) =>
        AttachmentsNote(comment.Attachments) is { } note ? $"{comment.Text.TrimEnd()}\n\n{note}" : comment.Text;

    /// <summary>
    /// The files the collège attached, by name and size, and where they are: the hub keeps them, and
    /// sends no file to PASS or Omère (ADR 11). Null when there is none.
    /// </summary>
    public string? AttachmentsNote(IReadOnlyList<AttachmentRef>? attachments)
    {
        if (attachments is null || attachments.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder(attachments.Count == 1
            ? $"Pièce jointe (conservée dans TicketHub, non transmise à {tool.DisplayName}) :"
            : $"Pièces jointes (conservées dans TicketHub, non transmises à {tool.DisplayName}) :");
        foreach (var attachment in attachments)
        {
            text.Append("\n- ").Append(OneLine(attachment.FileName)).Append(" (").Append(FrenchSize(attachment.Size)).Append(')');
        }

        return text.ToString();
    }

    /// <summary><c>512 octets</c>, <c>350 Ko</c>, <c>1,2 Mo</c>.</summary>
    public static string FrenchSize(long bytes)
    {
        var french = CultureInfo.GetCultureInfo("fr-FR");
        return bytes switch
        {
            < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + (bytes > 1 ? " octets" : " octet"),
            < 1024 * 1024 => Math.Round(bytes / 1024d, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + " Ko",
            _ => (bytes / (1024d * 1024d)).ToString("0.#", french) + " Mo",
        };
    }

    private static void Line(StringBuilder text, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            text.Append(label).Append(" : ").Append(OneLine(value)).Append('\n');
        }
    }

    private static string Urgency(string urgency) => urgency switch
    {
        "low" => "faible",
        "normal" => "normale",
        "high" => "haute",
        "critical" => "critique",
        _ => urgency,
    };

    private static string InParis(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, ParisZone).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) + " (heure de Paris)";

    /// <summary>Line breaks and other control characters become spaces: one field, one line.</summary>
    internal static string OneLine(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value.Trim())
        {
            text.Append(char.IsControl(c) ? ' ' : c);
        }

        return text.ToString();
    }
}
