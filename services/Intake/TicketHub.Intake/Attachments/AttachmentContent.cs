using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace TicketHub.Intake.Attachments;

/// <summary>
/// Recognises an attachment's type from its bytes: the name and the type the client declared are
/// never trusted (a program renamed <c>photo.png</c> is refused; a PNG named <c>devis.pdf</c> is
/// stored as a PNG). Accepted: PNG, JPEG, GIF, WebP, PDF, plain text (UTF-8 without NUL) and office
/// documents (Word, Excel, PowerPoint in Office Open XML; OpenDocument).
/// </summary>
public static class AttachmentContent
{
    public const string PlainText = "text/plain; charset=utf-8";

    /// <summary>How the accepted types are named to a person.</summary>
    public const string AcceptedInFrench =
        "images PNG, JPEG, GIF ou WebP, PDF, texte brut, documents Word, Excel, PowerPoint ou OpenDocument";

    private static readonly (string Folder, string Type)[] OfficeOpenXml =
    [
        ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ];

    private static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> Zip => [0x50, 0x4B, 0x03, 0x04];

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// The OpenDocument types accepted, named exactly: the file's <c>mimetype</c> entry picks one of
    /// them, never writes the stored type itself.
    /// </summary>
    private static readonly string[] OpenDocumentTypes =
    [
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/vnd.oasis.opendocument.graphics",
    ];

    /// <summary>The content type of <paramref name="content"/>, or null when it is none of the accepted kinds.</summary>
    public static string? Recognise(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            return null;
        }

        if (content.StartsWith(Png))
        {
            return "image/png";
        }

        if (content.StartsWith(Jpeg))
        {
            return "image/jpeg";
        }

        if (content.StartsWith("GIF87a"u8) || content.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (content.Length >= 12 && content.StartsWith("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (content.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }

        if (content.StartsWith(Zip))
        {
            return OfficeDocument(content.ToArray());
        }

        return IsPlainText(content) ? PlainText : null;
    }

    /// <summary>UTF-8 (a BOM allowed) without NUL: what a text editor or a log file gives.</summary>
    private static bool IsPlainText(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith(Utf8Bom))
        {
            content = content[3..];
        }

        return content.IndexOf((byte)0) < 0 && Utf8.IsValid(content);
    }

    /// <summary>
    /// An Office Open XML package (<c>[Content_Types].xml</c> and a Word, Excel or PowerPoint part)
    /// or an OpenDocument file (a <c>mimetype</c> entry naming exactly one of <see cref="OpenDocumentTypes"/>). Only the zip's
    /// directory and that small entry are read, never the rest: a zip bomb costs nothing.
    /// </summary>
    private static string? OfficeDocument(byte[] content)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            if (zip.GetEntry("mimetype") is { Length: > 0 and <= 100 } mimetype)
            {
                using var reader = new StreamReader(mimetype.Open(), Encoding.ASCII);
                var declared = reader.ReadToEnd().Trim();
                return Array.Find(OpenDocumentTypes, type => string.Equals(type, declared, StringComparison.Ordinal));
            }

            if (zip.GetEntry("[Content_Types].xml") is null)
            {
                return null;
            }

            foreach (var (folder, type) in OfficeOpenXml)
            {
                if (zip.Entries.Any(entry => entry.FullName.StartsWith(folder, StringComparison.Ordinal)))
                {
                    return type;
                }
            }

            return null;
        }
        catch (InvalidDataException)
        {
            // Not a readable zip: whatever it claims to be, it is not an office document.
            return null;
        }
    }
}
