using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Attachments;

/// <summary>How a comment names the files that came with it, in a tool that takes them as documents of its ticket (GLPI, iTop).</summary>
public static class CommentFiles
{
    /// <summary>« Fichiers joints au ticket : photo.jpg (1,2 Mo), devis.pdf (350 Ko) »; null when the comment has none.</summary>
    public static string? Line(IReadOnlyList<AttachmentRef>? attachments) =>
        attachments is null || attachments.Count == 0 ? null
            : (attachments.Count == 1 ? "Fichier joint au ticket : " : "Fichiers joints au ticket : ")
                + string.Join(", ", attachments.Select(a => $"{TicketText.OneLine(a.FileName)} ({TicketText.FrenchSize(a.Size)})"));
}
