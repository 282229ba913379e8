using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using TicketHub.ServiceDefaults;

namespace TicketHub.Intake.Http;

/// <summary>
/// Reads a JSON request body: content type, size, emptiness, encoding and syntax, each with a
/// French problem. A document it returns can be read without exceptions: every string in it, names
/// included, is valid Unicode.
/// </summary>
public static class JsonRequest
{
    public sealed record Result(JsonDocument? Document, byte[] Body, ProblemHttpResult? Problem);

    public static async Task<Result> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return new Result(null, [], Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Envoyez le corps en JSON (Content-Type: application/json)."));
        }

        // Kestrel refuses a larger body itself; applied here too so that the limit holds whatever
        // the host (a test server, IIS) and whether or not the client announced the length.
        var limit = BodyLimit(request);
        var tooLarge = Problems.Of(StatusCodes.Status413PayloadTooLarge, $"Le corps de la requête dépasse {limit / 1024} Ko.");
        if (request.ContentLength > limit)
        {
            return new Result(null, [], tooLarge);
        }

        var body = await ReadBytesAsync(request.Body, limit, cancellationToken);
        return body is null ? new Result(null, [], tooLarge) : Parse(body);
    }

    /// <summary>The limit of a JSON body: Kestrel's (<c>Intake:MaxRequestBodySize</c>).</summary>
    public static long BodyLimit(HttpRequest request) =>
        request.HttpContext.RequestServices.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.MaxRequestBodySize ?? long.MaxValue;

    /// <summary>Reads <paramref name="stream"/> to its end; null as soon as it holds more than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadBytesAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Checks a JSON text already read (a body, or the <c>ticket</c> part of a form): emptiness, encoding, syntax.</summary>
    public static Result Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return new Result(null, body, Problems.Of(StatusCodes.Status400BadRequest, "Le corps de la requête est vide : envoyez un objet JSON."));
        }

        if (!Utf8.IsValid(body))
        {
            return new Result(null, body, Problems.Of(StatusCodes.Status400BadRequest, "Le corps n'est pas encodé en UTF-8 : JSON s'échange en UTF-8."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (ligne {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            return new Result(null, body, Problems.Of(StatusCodes.Status400BadRequest, $"Le corps n'est pas un JSON valide{where}."));
        }

        if (!HasOnlyValidText(document.RootElement))
        {
            document.Dispose();
            return new Result(null, body, Problems.Of(StatusCodes.Status400BadRequest,
                "Le corps contient un texte qui n'est pas de l'Unicode valide (une moitié de paire de substitution, « \\ud800 » par exemple)."));
        }

        return new Result(document, body, null);
    }

    /// <summary>
    /// JSON escapes can spell half of a UTF-16 surrogate pair (<c>"\ud800"</c>), which no string
    /// holds as text: the document parses, but reading that string throws.
    /// </summary>
    private static bool HasOnlyValidText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().All(property => IsReadable(() => property.Name) && HasOnlyValidText(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(HasOnlyValidText),
        JsonValueKind.String => IsReadable(element.GetString),
        _ => true,
    };

    private static bool IsReadable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            // What JsonElement throws for a string it cannot turn into UTF-16.
            return false;
        }
    }
}
