using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace TicketHub.Intake.Tests.Support;

/// <summary>
/// A <c>multipart/form-data</c> ticket written byte by byte, so that a test controls exactly what a
/// client sends: the part names, file names (paths, control characters), declared types, delimiter.
/// </summary>
internal sealed class TicketFormBody
{
    private readonly List<(string Name, string? FileName, string? ContentType, byte[] Content)> _parts = [];

    public TicketFormBody Ticket(string json) => Json("ticket", json);

    /// <summary>The JSON of a comment (<c>{"text": …}</c>), as the part <c>comment</c>.</summary>
    public TicketFormBody Comment(string text) => Json("comment", new System.Text.Json.Nodes.JsonObject { ["text"] = text }.ToJsonString());

    private TicketFormBody Json(string part, string json)
    {
        _parts.Add((part, null, "application/json", Encoding.UTF8.GetBytes(json)));
        return this;
    }

    public TicketFormBody File(string fileName, byte[] content, string contentType = "application/octet-stream", string name = "attachments")
    {
        _parts.Add((name, fileName, contentType, content));
        return this;
    }

    public HttpContent ToContent(string boundary = "----tickethub-test-boundary")
    {
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        foreach (var (name, fileName, contentType, content) in _parts)
        {
            Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"");
            if (fileName is not null)
            {
                Write($"; filename=\"{fileName}\"");
            }

            Write("\r\n");
            if (contentType is not null)
            {
                Write($"Content-Type: {contentType}\r\n");
            }

            Write("\r\n");
            body.Write(content);
            Write("\r\n");
        }

        Write($"--{boundary}--\r\n");
        var result = new ByteArrayContent(body.ToArray());
        result.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary=\"{boundary}\"");
        return result;
    }
}

/// <summary>Small files of each kind, as their first bytes make them.</summary>
internal static class SampleFiles
{
    public static byte[] Png { get; } = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];

    public static byte[] Jpeg { get; } = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9];

    public static byte[] Gif { get; } = [.. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x3B];

    public static byte[] WebP { get; } = [.. "RIFF"u8, 26, 0, 0, 0, .. "WEBPVP8 "u8, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    public static byte[] Pdf { get; } = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Text { get; } = Encoding.UTF8.GetBytes("Relevé de l'erreur :\r\nCode 0x80070005 — accès refusé.\n");

    /// <summary>A Windows program: "MZ", then bytes no text has (NUL).</summary>
    public static byte[] Exe { get; } = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0xB8, 0, 0, 0];

    public static byte[] Docx { get; } = Zip(("[Content_Types].xml", "<Types/>"), ("_rels/.rels", "<Relationships/>"), ("word/document.xml", "<w:document/>"));

    public static byte[] Xlsx { get; } = Zip(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"));

    public static byte[] Odt { get; } = Zip(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document-content/>"));

    /// <summary>A plain zip: neither an office document nor anything else accepted.</summary>
    public static byte[] PlainZip { get; } = Zip(("lisezmoi.txt", "bonjour"), ("programme.exe", "MZ"));

    public static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
        }

        return buffer.ToArray();
    }
}
