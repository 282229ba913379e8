using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Contracts;
using TicketHub.Intake.Attachments;
using TicketHub.Intake.Http;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tickets;

public static partial class TicketsApi
{
    /// <summary>The rate-limiting policy of ticket creation (<see cref="TicketCreationRateLimit"/>).</summary>
    public const string CreationPolicy = "ticket-creation";

    private const int MaxIdempotencyKeyLength = 100;

    private static readonly IReadOnlyList<string> Statuses = HubStatuses.All;

    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var tickets = app.MapGroup("/api/v1/tickets").WithTags("Tickets");
        tickets.MapPost("/", CreateAsync)
            .RequireHubRoles(HubRoles.College, HubRoles.Dispatcher, HubRoles.Admin)
            .RequireRateLimiting(CreationPolicy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AddOpenApiOperationTransformer(TicketCreationRequest.DescribeBodyAsync)
            .WithSummary("Ouvrir une demande")
            .WithDescription("Enregistre la demande et répond 202 avec sa référence ; elle est ensuite orientée. En-tête facultatif Idempotency-Key (propre à l'appelant) : la même clé et le même contenu rendent la même demande.");
        tickets.MapGet("/", ListAsync).RequireHubRoles([.. HubRoles.All])
            .WithSummary("Lister les demandes").WithDescription("Les plus récentes d'abord, page par page (limit, after) ; chaque rôle ne voit que son périmètre.");
        tickets.MapGet("/{id}", GetAsync).WithName("GetTicket").RequireHubRoles([.. HubRoles.All])
            .WithSummary("Lire une demande").WithDescription("Par son identifiant ou sa référence (TH-2026-000123) ; une demande d'un autre collège et une demande inexistante donnent le même 403.");
        return app;
    }

    /// <summary>
    /// Reads the body itself (rather than binding a DTO) so that malformed JSON, wrong types and
    /// unknown fields all get a French ProblemDetails naming the field, and nothing is stored. A
    /// <c>multipart/form-data</c> body carries the same JSON in its <c>ticket</c> part, and files.
    /// </summary>
    private static async Task<Results<Accepted<TicketAccepted>, ProblemHttpResult>> CreateAsync(
        HttpContext context,
        TicketStore store,
        TicketQuota quota,
        CancellationToken cancellationToken)
    {
        var request = context.Request;
        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength || idempotencyKey.Any(c => c < 0x21 || c > 0x7E))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, $"L'en-tête Idempotency-Key doit compter au plus {MaxIdempotencyKeyLength} caractères ASCII visibles.");
        }

        var (document, ticketJson, attachments, fileErrors, problem) = await TicketForm.ReadJsonOrFormAsync(request, TicketForm.TicketPart,
            "Envoyez la demande en JSON (Content-Type: application/json) ou, avec des pièces jointes, en multipart/form-data (partie « ticket » et fichiers « attachments »).",
            cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (var json = document!)
        {
            var parsed = TicketRequestParser.Parse(json.RootElement);
            if (parsed.Ticket is null || fileErrors is not null)
            {
                var errors = new Dictionary<string, string[]>(parsed.Errors ?? new Dictionary<string, string[]>(), StringComparer.Ordinal);
                foreach (var (field, messages) in fileErrors ?? new Dictionary<string, string[]>())
                {
                    errors[field] = messages;
                }

                return Problems.Validation(errors, "La demande contient des erreurs : corrigez les champs indiqués puis renvoyez-la.");
            }

            var user = context.HubUser();
            if (user.IsCollege && parsed.Ticket.Details.CollegeUai != user.Uai)
            {
                return Problems.Of(StatusCodes.Status403Forbidden,
                    $"Vous ne pouvez ouvrir une demande que pour votre collège ({user.Uai}) : « collegeUai » doit valoir {user.Uai}.");
            }

            var ticket = parsed.Ticket with { Attachments = attachments };
            var caller = user.Key;
            var key = idempotencyKey.Length == 0 ? null : idempotencyKey;
            var hash = RequestHash(ticketJson, attachments);
            var replay = key is null ? null : await store.FindByIdempotencyKeyAsync(caller, key, hash, cancellationToken);
            if (replay is null
                && await quota.CheckAsync(caller, ticket.Details.CollegeUai, attachments.Sum(a => a.Content.LongLength), cancellationToken) is { } overQuota)
            {
                if (overQuota.StatusCode == StatusCodes.Status429TooManyRequests)
                {
                    context.Response.Headers.RetryAfter = "3600";
                }

                return overQuota;
            }

            var result = replay ?? await store.CreateAsync(ticket, caller, key, hash, cancellationToken);
            if (result.Outcome == CreateOutcome.KeyReused)
            {
                return Problems.Of(StatusCodes.Status422UnprocessableEntity,
                    "Cette clé Idempotency-Key a déjà servi pour une autre demande : utilisez une nouvelle clé pour une nouvelle demande.");
            }

            var accepted = result.Ticket!;
            return TypedResults.Accepted($"/api/v1/tickets/{accepted.Id}", accepted);
        }
    }

    /// <summary>
    /// What an Idempotency-Key is bound to: the ticket's JSON and, when files come with it, each
    /// file's name and content. Not the raw form, whose part delimiter a client may draw anew when
    /// it retries. A JSON body and a form without files holding the same JSON are the same request.
    /// </summary>
    private static string RequestHash(byte[] ticketJson, IReadOnlyList<NewAttachment> attachments)
    {
        if (attachments.Count == 0)
        {
            return Convert.ToHexString(SHA256.HashData(ticketJson));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(ticketJson);
        foreach (var attachment in attachments)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"\n{attachment.FileName}\n{attachment.Sha256}"));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> GetAsync(string id, HttpContext context, TicketStore store, CancellationToken cancellationToken)
    {
        var user = context.HubUser();
        if (TicketAccess.Refusal(user, await store.FindScopeAsync(id, cancellationToken)) is { } refusal)
        {
            return refusal;
        }

        var ticket = await store.FindAsync(id, cancellationToken);
        return ticket is null ? TicketAccess.Refusal(user, null)! : TypedResults.Ok(TicketAccess.ForReader(user, ticket));
    }

    /// <summary>
    /// Tickets newest first, by pages of <c>limit</c> (100 by default, 500 at most); <c>next</c> is
    /// the <c>after</c> of the following page. Each role sees its own scope only (<see cref="TicketAccess"/>):
    /// a filter asking for another collège or another target is refused with 403.
    /// </summary>
    private static async Task<Results<Ok<Page<TicketSummary>>, ProblemHttpResult>> ListAsync(
        HttpContext context, TicketStore store, CancellationToken cancellationToken,
        string? status = null, string? collegeUai = null, string? target = null, string? tool = null, string? ut = null,
        int? limit = null, string? after = null)
    {
        var filter = new TicketFilter(NullIfBlank(status), NullIfBlank(collegeUai), NullIfBlank(target), NullIfBlank(tool), NullIfBlank(ut));
        if (FilterProblem(filter) is { } invalid)
        {
            return invalid;
        }

        var (collegeScope, targetScope, refusal) = TicketScopeFilter.Restrict(context.HubUser(), filter.CollegeUai, filter.Target, "les demandes", "les demandes");
        if (refusal is not null)
        {
            return refusal;
        }

        filter = filter with { CollegeUai = collegeScope, Target = targetScope };

        if (Paging.Read(limit, after, out var page) is { } pagingProblem)
        {
            return pagingProblem;
        }

        var result = await store.ListAsync(filter, page, cancellationToken);
        return result is null ? Paging.UnknownAfter("aucune demande de cette liste") : TypedResults.Ok(result);
    }

    /// <summary>The first parameter refused, in the order status, collegeUai, target, tool, ut (<see cref="TicketScopeFilter"/>).</summary>
    private static ProblemHttpResult? FilterProblem(TicketFilter filter)
    {
        var statusError = filter.Status is { } s && !Statuses.Contains(s, StringComparer.Ordinal) ? $"« status » vaut {string.Join(", ", Statuses)}." : null;
        var problem = statusError
            ?? TicketScopeFilter.CollegeUaiError(filter.CollegeUai)
            ?? TicketScopeFilter.TargetError(filter.Target)
            ?? TicketScopeFilter.ToolError(filter.Tool)
            ?? TicketScopeFilter.UtError(filter.Ut);
        return problem is null ? null : Problems.Of(StatusCodes.Status400BadRequest, problem);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
