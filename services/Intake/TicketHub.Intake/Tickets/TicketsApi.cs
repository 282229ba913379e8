using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TicketHub.ServiceDefaults;

namespace TicketHub.Intake.Tickets;

public static class TicketsApi
{
    private const int MaxIdempotencyKeyLength = 100;

    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var tickets = app.MapGroup("/api/v1/tickets").WithTags("Tickets");
        tickets.MapPost("/", CreateAsync);
        tickets.MapGet("/{id}", GetAsync).WithName("GetTicket");
        return app;
    }

    /// <summary>
    /// Reads the body itself (rather than binding a DTO) so that malformed JSON, wrong types and
    /// unknown fields all get a French ProblemDetails naming the field, and nothing is stored.
    /// </summary>
    private static async Task<Results<Accepted<TicketAccepted>, ProblemHttpResult>> CreateAsync(
        HttpRequest request,
        TicketStore store,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Envoyez la demande en JSON (Content-Type: application/json).");
        }

        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength || idempotencyKey.Any(c => c < 0x21 || c > 0x7E))
        {
            return Problem(StatusCodes.Status400BadRequest, $"L'en-tête Idempotency-Key doit compter au plus {MaxIdempotencyKeyLength} caractères ASCII visibles.");
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, cancellationToken);
            body = buffer.ToArray();
        }

        if (body.Length == 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "Le corps de la requête est vide : envoyez la demande en JSON.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (ligne {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            return Problem(StatusCodes.Status400BadRequest, $"Le corps n'est pas un JSON valide{where}.");
        }

        using (document)
        {
            var parsed = TicketRequestParser.Parse(document.RootElement);
            if (parsed.Ticket is null)
            {
                return TypedResults.Problem(new HttpValidationProblemDetails(parsed.Errors!)
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = ProblemDetailsDefaults.TitleFor(StatusCodes.Status422UnprocessableEntity),
                    Detail = "La demande contient des erreurs : corrigez les champs indiqués puis renvoyez-la.",
                });
            }

            var hash = Convert.ToHexString(SHA256.HashData(body));
            var result = await store.CreateAsync(parsed.Ticket, idempotencyKey.Length == 0 ? null : idempotencyKey, hash, cancellationToken);
            if (result.Outcome == CreateOutcome.KeyReused)
            {
                return Problem(StatusCodes.Status422UnprocessableEntity,
                    "Cette clé Idempotency-Key a déjà servi pour une autre demande : utilisez une nouvelle clé pour une nouvelle demande.");
            }

            var accepted = result.Ticket!;
            return TypedResults.Accepted($"/api/v1/tickets/{accepted.Id}", accepted);
        }
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> GetAsync(string id, TicketStore store, CancellationToken cancellationToken)
    {
        var ticket = await store.FindAsync(id, cancellationToken);
        return ticket is null
            ? Problem(StatusCodes.Status404NotFound, "Aucune demande ne porte cet identifiant.")
            : TypedResults.Ok(ticket);
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Title = ProblemDetailsDefaults.TitleFor(status),
            Detail = detail,
        });
}
