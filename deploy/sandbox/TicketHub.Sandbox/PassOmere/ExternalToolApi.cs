using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.PassOmere;

/// <summary>
/// The hub's contract for tools without a public API (<c>docs/api/outil-externe.openapi.yaml</c>), under
/// <c>/{tool}/api</c>: Bearer token, tickets idempotent on <c>reference</c>, messages idempotent on
/// <c>hubMessageId</c>, changes read by <c>updatedSince</c> with an opaque cursor. Every error is an
/// RFC 9457 problem in French.
/// </summary>
internal static class ExternalToolApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapExternalToolApi(this IEndpointRouteBuilder app, ExternalTool tool)
    {
        var api = app.MapGroup(tool.ApiPath)
            .InjectFaults(tool.Key, _ => Problem(StatusCodes.Status500InternalServerError, $"Panne simulée par le bac à sable ({tool.SectionName}:Faults)."))
            .AddEndpointFilter((context, next) => Authorized(context.HttpContext, tool) ? next(context) : ValueTask.FromResult<object?>(Unauthorized(context.HttpContext, tool)));
        api.MapPost("/tickets", (HttpContext http, CancellationToken cancellation) => CreateAsync(http, tool, cancellation));
        api.MapGet("/tickets", (HttpContext http) => List(http, tool));
        api.MapGet("/tickets/{id}", (HttpContext http, string id) => Get(http, tool, id));
        api.MapPost("/tickets/{id}/messages", (HttpContext http, string id, CancellationToken cancellation) => AddMessageAsync(http, tool, id, cancellation));
        return app;
    }

    /// <summary>The ticket as the contract shows it, with its messages; <c>url</c> is its sandbox page as the caller reaches the sandbox.</summary>
    public static object View(HttpContext http, ExternalTool tool, ToolTicketRecord ticket) => new
    {
        id = ticket.Id,
        reference = ticket.Reference,
        status = ticket.Status,
        queue = ticket.Received.Queue,
        url = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{ExternalToolPages.TicketPath(tool, ticket.Id)}",
        updatedAt = ticket.UpdatedAt,
        messages = ticket.Messages,
    };

    private static ExternalToolStore Store(HttpContext http, ExternalTool tool) =>
        http.RequestServices.GetRequiredKeyedService<ExternalToolStore>(tool.Key);

    private static async Task<IResult> CreateAsync(HttpContext http, ExternalTool tool, CancellationToken cancellation)
    {
        var (body, json, failure) = await ReadJsonAsync(http, cancellation);
        if (failure is not null)
        {
            return failure;
        }

        using (body)
        {
            var reader = new ContractReader();
            if (reader.ReadTicket(body!.RootElement) is not { } payload)
            {
                return Invalid(reader, "Le ticket reçu ne respecte pas le contrat d'échange.");
            }

            var (ticket, created) = Store(http, tool).Create(payload, json!);
            return created
                ? TypedResults.Created($"{http.Request.PathBase}{tool.ApiPath}/tickets/{Uri.EscapeDataString(ticket.Id)}", View(http, tool, ticket))
                : TypedResults.Ok(View(http, tool, ticket));
        }
    }

    private static IResult List(HttpContext http, ExternalTool tool)
    {
        var query = http.Request.Query;
        var store = Store(http, tool);
        var reference = Single(query, "reference");
        var updatedSinceText = Single(query, "updatedSince");
        var cursorText = Single(query, "cursor");
        if (reference is not null)
        {
            if (updatedSinceText is not null || cursorText is not null)
            {
                return BadQuery("Précisez soit reference, soit updatedSince (avec cursor), pas les deux.");
            }

            return store.FindByReference(reference) is { } found
                ? TypedResults.Ok(new { items = new[] { View(http, tool, found) }, next = (string?)null })
                : TypedResults.Ok(new { items = Array.Empty<object>(), next = (string?)null });
        }

        if (updatedSinceText is null && cursorText is null)
        {
            return BadQuery("Précisez reference, ou updatedSince (puis cursor pour les pages suivantes).");
        }

        DateTimeOffset? updatedSince = null;
        if (updatedSinceText is not null)
        {
            updatedSince = ContractReader.ParseInstant(updatedSinceText);
            if (updatedSince is null)
            {
                // A '+' left unencoded in a query string arrives as a space.
                return BadQuery($"updatedSince « {updatedSinceText} » : {ContractReader.InstantHint} Dans l'URL, encodez « + » en %2B.");
            }
        }

        ToolCursor? cursor = null;
        if (cursorText is not null && (cursor = ToolCursor.Decode(cursorText)) is null)
        {
            return BadQuery("cursor invalide : reprenez la valeur de next telle quelle.");
        }

        var limit = DefaultLimit;
        if (Single(query, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return BadQuery($"limit doit être un entier de 1 à {MaxLimit}.");
        }

        var (items, next) = store.ChangedSince(updatedSince, cursor, limit);
        return TypedResults.Ok(new { items = items.Select(ticket => View(http, tool, ticket)), next = next?.Encode() });
    }

    private static IResult Get(HttpContext http, ExternalTool tool, string id) =>
        Store(http, tool).Find(id) is { } ticket ? TypedResults.Ok(View(http, tool, ticket)) : NotFound(tool, id);

    private static async Task<IResult> AddMessageAsync(HttpContext http, ExternalTool tool, string id, CancellationToken cancellation)
    {
        var store = Store(http, tool);
        if (store.Find(id) is null)
        {
            return NotFound(tool, id);
        }

        var (body, _, failure) = await ReadJsonAsync(http, cancellation);
        if (failure is not null)
        {
            return failure;
        }

        using (body)
        {
            var reader = new ContractReader();
            if (reader.ReadMessage(body!.RootElement) is not { } payload)
            {
                return Invalid(reader, "Le message reçu ne respecte pas le contrat.");
            }

            if (store.AddHubMessage(id, payload) is not { } outcome)
            {
                return NotFound(tool, id);
            }

            // Messages have no address of their own in the contract: no Location.
            return outcome.Added ? TypedResults.Created((string?)null, outcome.Message) : TypedResults.Ok(outcome.Message);
        }
    }

    /// <summary>The body as JSON and as text (kept with the ticket), or the problem that stops the request.</summary>
    private static async Task<(JsonDocument? Document, string? Json, IResult? Failure)> ReadJsonAsync(HttpContext http, CancellationToken cancellation)
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, null, Problem(StatusCodes.Status415UnsupportedMediaType, "Envoyez le corps en application/json."));
        }

        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var json = await reader.ReadToEndAsync(cancellation);
        try
        {
            return (JsonDocument.Parse(json), json, null);
        }
        catch (JsonException exception)
        {
            return (null, null, Problem(StatusCodes.Status400BadRequest, $"Le corps n'est pas du JSON valide : {exception.Message}"));
        }
    }

    private static bool Authorized(HttpContext http, ExternalTool tool)
    {
        var expected = http.RequestServices.GetRequiredService<IOptionsMonitor<ExternalToolOptions>>().Get(tool.Key).ApiToken;
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(expected));
    }

    private static IResult Unauthorized(HttpContext http, ExternalTool tool)
    {
        http.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{tool.Key}\"";
        return Problem(StatusCodes.Status401Unauthorized, $"Jeton absent ou refusé : envoyez Authorization: Bearer <jeton que {tool.Name} a remis au hub>.");
    }

    private static IResult NotFound(ExternalTool tool, string id) =>
        Problem(StatusCodes.Status404NotFound, $"{tool.Name} n'a pas de ticket {id}.");

    private static IResult BadQuery(string detail) => Problem(StatusCodes.Status400BadRequest, detail);

    private static IResult Invalid(ContractReader reader, string detail) =>
        TypedResults.Problem(new HttpValidationProblemDetails(reader.Errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Données invalides",
            Detail = detail,
        });

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(statusCode: status, detail: detail);

    /// <summary>A query parameter given once; a repeated one counts as its first value.</summary>
    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
