using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TicketHub.Connectors.Glpi.Glpi;

/// <summary>
/// The body of a document upload, as GLPI's apirest.md shows it with curl: <c>multipart/form-data</c>
/// with a JSON part <c>uploadManifest</c> (<c>{"input": {…, "_filename": ["photo.jpg"]}}</c>) and the
/// file as part <c>filename[0]</c>. Built by hand rather than by Refit's multipart support so that a
/// file name with accents reaches PHP as a browser sends it (UTF-8 in <c>filename="…"</c>), not as an
/// RFC 2047 word PHP would keep literally.
/// </summary>
internal static class GlpiDocumentUpload
{
    public const string ManifestPart = "uploadManifest";
    public const string FilePart = "filename[0]";

    public static HttpContent Create(GlpiDocumentInput input, string fileName, string contentType, byte[] content)
    {
        var form = new MultipartContent("form-data") { HeaderEncodingSelector = (_, _) => Encoding.UTF8 };

        var manifest = new StringContent(
            JsonSerializer.Serialize(new GlpiInput<GlpiDocumentInput>(input), GlpiJsonContext.Default.GlpiInputGlpiDocumentInput),
            Encoding.UTF8,
            "application/json");
        manifest.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{ManifestPart}\"");
        form.Add(manifest);

        var file = new ByteArrayContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        file.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{FilePart}\"; filename=\"{Quoted(fileName)}\"");
        form.Add(file);
        return form;
    }

    /// <summary>As browsers write a file name in a form (WHATWG): <c>"</c>, CR and LF percent-encoded, other control characters dropped.</summary>
    private static string Quoted(string fileName)
    {
        var text = new StringBuilder(fileName.Length);
        foreach (var c in fileName)
        {
            switch (c)
            {
                case '"':
                    text.Append("%22");
                    break;
                case '\r':
                    text.Append("%0D");
                    break;
                case '\n':
                    text.Append("%0A");
                    break;
                default:
                    if (!char.IsControl(c))
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.ToString();
    }
}
