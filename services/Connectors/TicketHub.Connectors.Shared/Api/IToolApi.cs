using System.Text.Json.Serialization;
using Refit;

namespace TicketHub.Connectors.Shared.Api;

/// <summary>
/// The hub's contract for tools without a public API, as the tool implements it
/// (<c>docs/api/outil-externe.openapi.yaml</c>). The bearer token is added by <see cref="ToolTokenHandler"/>.
/// </summary>
internal interface IToolApi
{
    /// <summary>Creates the ticket; the tool answers 200 with the existing one for a reference it holds.</summary>
    [Post("/tickets")]
    Task<ToolTicket> CreateTicketAsync([Body] ToolNewTicket ticket, CancellationToken cancellationToken);

    [Get("/tickets")]
    Task<ToolTicketPage> FindByReferenceAsync([AliasAs("reference")] string reference, CancellationToken cancellationToken);

    [Get("/tickets")]
    Task<ToolTicketPage> ListUpdatedSinceAsync(
        [AliasAs("updatedSince")] string updatedSince,
        [AliasAs("cursor")] string? cursor,
        [AliasAs("limit")] int limit,
        CancellationToken cancellationToken);

    [Get("/tickets/{id}")]
    Task<ToolTicket> GetTicketAsync(string id, CancellationToken cancellationToken);

    /// <summary>Adds a message; the tool answers 200 with the existing one for a hubMessageId it holds.</summary>
    [Post("/tickets/{id}/messages")]
    Task<ToolMessage> AddMessageAsync(string id, [Body] ToolNewMessage message, CancellationToken cancellationToken);
}

internal sealed class ToolNewTicket
{
    public required string Reference { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    public required string Category { get; init; }

    public required string Type { get; init; }

    public required string Urgency { get; init; }

    public string? Queue { get; init; }

    public string? Location { get; init; }

    public string? Equipment { get; init; }

    public IReadOnlyList<string> Flags { get; init; } = [];

    public required ToolCollege College { get; init; }

    public required ToolRequester Requester { get; init; }

    public ToolRouting? Routing { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed record ToolCollege(string Uai, string Name, string? Commune, string? Ut);

internal sealed record ToolRequester(string Name, string Email, string? Phone);

internal sealed record ToolRouting(string Rule, string Explanation);

internal sealed class ToolTicket
{
    public string Id { get; init; } = "";

    public string Reference { get; init; } = "";

    public string Status { get; init; } = "";

    public string? Queue { get; init; }

    public string? Url { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public List<ToolMessage>? Messages { get; init; }
}

internal sealed class ToolTicketPage
{
    public List<ToolTicket>? Items { get; init; }

    public string? Next { get; init; }
}

internal sealed class ToolMessage
{
    public string Id { get; init; } = "";

    public string Body { get; init; } = "";

    public string? AuthorName { get; init; }

    public string AuthorRole { get; init; } = "";

    public bool Public { get; init; } = true;

    public string? HubMessageId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed record ToolNewMessage(Guid HubMessageId, string Body, string AuthorName);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ToolNewTicket))]
[JsonSerializable(typeof(ToolTicket))]
[JsonSerializable(typeof(ToolTicketPage))]
[JsonSerializable(typeof(ToolNewMessage))]
[JsonSerializable(typeof(ToolMessage))]
internal sealed partial class ToolJsonContext : JsonSerializerContext;
