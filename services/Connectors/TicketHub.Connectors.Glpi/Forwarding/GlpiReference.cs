using System.Text.RegularExpressions;
using TicketHub.Connectors.Glpi.Sync;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>
/// Where a GLPI ticket carries the hub reference (ADR 13): at the start of its title,
/// <c>[TH-2026-000042] Imprimante en panne</c>, and in the first paragraph of its description; in
/// GLPI 11 also in <c>externalid</c>. GLPI's search is a LIKE (<c>TH-2026-00004</c> also finds
/// <c>TH-2026-000042</c>): a candidate is the hub's ticket only when one of these places names
/// exactly this reference.
/// </summary>
internal static partial class GlpiReference
{
    /// <summary>GLPI's <c>name</c> column holds 255 characters.</summary>
    private const int MaxTitleLength = 255;

    /// <summary><c>[TH-2026-000042] Imprimante en panne</c>, shortened with "…" to fit GLPI's column.</summary>
    public static string Title(string reference, string title)
    {
        var full = $"{Prefix(reference)} {title.Trim()}";
        return full.Length <= MaxTitleLength ? full : full[..(MaxTitleLength - 1)] + "…";
    }

    /// <summary>The description's first paragraph, as plain text.</summary>
    public static string ContentOpening(string reference) => $"Demande transmise par TicketHub, référence {reference}.";

    /// <summary>
    /// Whether a ticket GLPI found is the one of <paramref name="reference"/>: its <c>externalid</c>
    /// is the reference, or its title starts with <c>[reference]</c>, or its description (as GLPI
    /// returns it, encoded or not) opens with <see cref="ContentOpening"/>.
    /// </summary>
    public static bool Names(string reference, string? title, string? content, string? externalId) =>
        string.Equals(externalId, reference, StringComparison.Ordinal)
        || (title is not null && System.Net.WebUtility.HtmlDecode(title).TrimStart().StartsWith(Prefix(reference), StringComparison.Ordinal))
        || (content is not null && Spaces().Replace(GlpiText.ToPlainText(content), " ").StartsWith(ContentOpening(reference), StringComparison.Ordinal));

    private static string Prefix(string reference) => $"[{reference}]";

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
