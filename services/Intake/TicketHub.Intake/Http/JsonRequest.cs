using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.ServiceDefaults;

namespace TicketHub.Intake.Http;

/// <summary>Reads a JSON request body: content type, emptiness and syntax, each with a French problem.</summary>
public static class JsonRequest
{
    public sealed record Result(JsonDocument? Document, byte[] Body, ProblemHttpResult? Problem);

    public static async Task<Result> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return new Result(null, [], Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Envoyez le corps en JSON (Content-Type: application/json)."));
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, cancellationToken);
            body = buffer.ToArray();
        }

        if (body.Length == 0)
        {
            return new Result(null, body, Problems.Of(StatusCodes.Status400BadRequest, "Le corps de la requête est vide : envoyez un objet JSON."));
        }

        try
        {
            return new Result(JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 }), body, null);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (ligne {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            return new Result(null, body, Problems.Of(StatusCodes.Status400BadRequest, $"Le corps n'est pas un JSON valide{where}."));
        }
    }
}
