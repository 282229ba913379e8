using System.Globalization;
using System.Text;

namespace TicketHub.Intake.Attachments;

/// <summary>
/// The name an attachment is stored and downloaded under: the last segment of whatever path the
/// client sent, without control or invisible formatting characters (a right-to-left override could
/// make <c>exe.png</c> read as <c>png.exe</c>), without leading or trailing dots and spaces, at most
/// <see cref="MaxLength"/> characters keeping the extension; a name left empty becomes
/// « piece-jointe-N ».
/// </summary>
public static class AttachmentFileName
{
    public const int MaxLength = 200;

    public static string Clean(string? sent, int position)
    {
        var name = sent ?? "";
        var cut = name.LastIndexOfAny(['/', '\\']);
        name = name[(cut + 1)..];

        var kept = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune == Rune.ReplacementChar || Rune.IsControl(rune)
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                continue;
            }

            kept.Append(rune.ToString());
        }

        name = kept.ToString().Normalize(NormalizationForm.FormC).Trim(' ', '.', '\u00A0');
        if (name.Length > MaxLength)
        {
            var extension = Path.GetExtension(name);
            extension = extension.Length is > 1 and <= 16 ? extension : "";
            name = Cut(name[..^extension.Length], MaxLength - extension.Length).TrimEnd(' ', '.') + extension;
        }

        return name.Length == 0 ? $"piece-jointe-{position + 1}" : name;
    }

    private static string Cut(string text, int length) =>
        text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];
}
