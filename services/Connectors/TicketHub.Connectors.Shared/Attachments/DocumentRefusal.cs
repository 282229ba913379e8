using System.Text.RegularExpressions;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Attachments;

/// <summary>
/// Why a file did not reach the tool, in French, as the collège reads it after a colon in its
/// ticket's timeline (<see cref="TicketAttachmentNotDelivered.Reason"/>): the usual causes in plain
/// words, anything else with a short excerpt of the tool's answer. The tool's full answer stays in
/// the connector's log and ledger.
/// </summary>
public static class DocumentRefusal
{
    /// <summary>How much of a tool's answer an unusual refusal quotes.</summary>
    private const int ExcerptLength = 150;

    private static readonly string[] SizeWords =
        ["too large", "too big", "larger than", "exceed", "max_size", "maximum size", "trop gros", "trop volumineux", "taille"];

    private static readonly string[] TypeWords = ["type", "extension", "mime"];

    private static readonly string[] RightWords = ["permission", "right", "droit", "not allowed", "forbidden"];

    /// <summary>Intake has no such file (HTTP 404).</summary>
    public const string Missing = "le fichier est introuvable dans TicketHub";

    /// <summary>« fichier trop volumineux pour GLPI (3,1 Mo) ».</summary>
    public static string TooLarge(string toolName, AttachmentRef attachment) =>
        $"fichier trop volumineux pour {toolName} ({TicketText.FrenchSize(attachment.Size)})";

    /// <summary>« iTop n'accepte pas ce type de fichier ».</summary>
    public static string TypeRefused(string toolName) => $"{toolName} n'accepte pas ce type de fichier";

    /// <summary>The hub's account in the tool may not add files.</summary>
    public static string NotAllowed(string toolName) => $"le compte de TicketHub dans {toolName} n'a pas le droit d'y ajouter des fichiers";

    /// <summary>
    /// The reason for a refusal whose answer is <paramref name="toolMessage"/>: its size or its type
    /// when the tool's words say so (in English or French), else the rights when
    /// <paramref name="rightsMissing"/> or the words say so, else a short quote of the words.
    /// </summary>
    public static string From(string toolName, AttachmentRef attachment, string toolMessage, bool rightsMissing = false)
    {
        if (Mentions(toolMessage, SizeWords))
        {
            return TooLarge(toolName, attachment);
        }

        if (Mentions(toolMessage, TypeWords))
        {
            return TypeRefused(toolName);
        }

        if (rightsMissing || Mentions(toolMessage, RightWords))
        {
            return NotAllowed(toolName);
        }

        var excerpt = Excerpt(toolMessage);
        return excerpt.Length == 0 ? $"{toolName} l'a refusée" : $"{toolName} l'a refusée (« {excerpt} »)";
    }

    /// <summary>Whether a word of <paramref name="words"/> starts a word of <paramref name="text"/> (« itemtype » is no « type »; « mimetype » is « mime »).</summary>
    private static bool Mentions(string text, string[] words) =>
        words.Any(word => Regex.IsMatch(text, @"(?<![\p{L}\d])" + Regex.Escape(word), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    /// <summary>The tool's words on one line, without markup (an HTML page from a proxy says nothing to a collège), shortened.</summary>
    private static string Excerpt(string text)
    {
        if (text.Contains('<', StringComparison.Ordinal))
        {
            return "";
        }

        var line = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (line.StartsWith("Error: ", StringComparison.Ordinal))
        {
            line = line["Error: ".Length..];
        }

        line = line.TrimEnd('.', ' ');
        return line.Length <= ExcerptLength ? line : line[..(ExcerptLength - 1)].TrimEnd() + "…";
    }
}
