using System.Globalization;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Forwarding;

/// <summary>
/// Who wrote a comment, as every tool's note opens with it (<see cref="TicketCommentAdded.Origin"/>):
/// a technician reading GLPI, iTop, a PASS message or a relay item knows whether the collège, the Pôle
/// TIE or a colleague on site is speaking.
/// </summary>
public static class CommentHeading
{
    /// <summary>
    /// « Message du collège (Claire Martin) », « Message du Pôle TIE (Paul Durand) », « Intervention sur
    /// site du 07/12/2026 (Jean Dupont) »: the author on one line, as typed.
    /// </summary>
    public static string Of(TicketCommentAdded comment)
    {
        var author = TicketText.OneLine(comment.AuthorName);
        return comment.Origin switch
        {
            CommentOrigins.PoleTie => $"Message du Pôle TIE ({author})",
            CommentOrigins.Team => $"Message de l'équipe ({author})",
            CommentOrigins.OnSiteVisit => $"Intervention sur site du {VisitDay(comment)} ({author})",
            _ => $"Message du collège ({author})",
        };
    }

    /// <summary>The subject of a mail or relay item that carries the comment: « Complément du collège », « Complément du Pôle TIE », « Intervention sur site ».</summary>
    public static string Subject(TicketCommentAdded comment) => comment.Origin switch
    {
        CommentOrigins.PoleTie => "Complément du Pôle TIE",
        CommentOrigins.Team => "Message de l'équipe",
        CommentOrigins.OnSiteVisit => "Intervention sur site",
        _ => "Complément du collège",
    };

    private static string VisitDay(TicketCommentAdded comment) =>
        (comment.VisitedOn ?? DateOnly.FromDateTime(comment.At.UtcDateTime)).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}
