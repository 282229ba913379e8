using System.Text.RegularExpressions;

namespace TicketHub.Portal.Pages.Shared;

/// <summary>
/// The success notices a page shows after a redirect (PRG). The query string only names one, or
/// carries a ticket reference or a count that is checked: never the text itself, so that a link
/// made by someone else cannot make the hub's page say what they want (« appelez le 01… »).
/// </summary>
public static partial class Notices
{
    private static readonly Dictionary<string, string> Admin = new(StringComparer.Ordinal)
    {
        ["renvoye"] = "Le message a été renvoyé à son service.",
        ["abandonne"] = "Le message a été abandonné.",
    };

    /// <summary>The administration page's notice for <paramref name="key"/>; the registry import's counts come as numbers.</summary>
    public static string? ForAdmin(string? key, int? imported, int? created, int? updated) => key switch
    {
        null => null,
        "registre" when imported is >= 0 && created is >= 0 && updated is >= 0 =>
            $"Registre importé : {imported} collèges ({created} ajoutés, {updated} mis à jour).",
        _ => Admin.GetValueOrDefault(key),
    };

    /// <summary>A ticket reference as intake gives it (<c>TH-2026-000123</c>), or null for anything else.</summary>
    public static string? Reference(string? value) => value is not null && ReferencePattern().IsMatch(value) ? value : null;

    [GeneratedRegex("^TH-[0-9]{4}-[0-9]{6,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}
