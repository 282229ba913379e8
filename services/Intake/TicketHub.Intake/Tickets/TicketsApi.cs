using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Intake.Http;
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
        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength || idempotencyKey.Any(c => c < 0x21 || c > 0x7E))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, $"L'en-tête Idempotency-Key doit compter au plus {MaxIdempotencyKeyLength} caractères ASCII visibles.");
        }

        var (document, body, problem) = await JsonRequest.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (var json = document!)
        {
            var parsed = TicketRequestParser.Parse(json.RootElement);
            if (parsed.Ticket is null)
            {
                return Problems.Validation(parsed.Errors!, "La demande contient des erreurs : corrigez les champs indiqués puis renvoyez-la.");
            }

            var hash = Convert.ToHexString(SHA256.HashData(body));
            var result = await store.CreateAsync(parsed.Ticket, idempotencyKey.Length == 0 ? null : idempotencyKey, hash, cancellationToken);
            if (result.Outcome == CreateOutcome.KeyReused)
            {
                return Problems.Of(StatusCodes.Status422UnprocessableEntity,
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
            ? Problems.Of(StatusCodes.Status404NotFound, "Aucune demande ne porte cet identifiant.")
            : TypedResults.Ok(ticket);
    }
}
