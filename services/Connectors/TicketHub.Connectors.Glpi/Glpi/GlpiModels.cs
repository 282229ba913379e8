using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketHub.Connectors.Glpi.Glpi;

// The shapes GLPI's REST API (apirest.php) reads and writes. Field names are GLPI's own.

/// <summary>Every write wraps its fields in <c>{"input": {...}}</c>.</summary>
internal sealed record GlpiInput<T>([property: JsonPropertyName("input")] T Input);

/// <summary>Answer of <c>initSession</c>.</summary>
internal sealed record GlpiSessionToken([property: JsonPropertyName("session_token")] string SessionToken);

/// <summary>Answer of a single add: <c>201 {"id": 15, "message": ""}</c>.</summary>
internal sealed record GlpiCreatedItem(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("message")] string? Message);

/// <summary>Fields the hub sets on a new ticket.</summary>
internal sealed record GlpiTicketInput
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Description, as HTML (GLPI stores rich text).</summary>
    [JsonPropertyName("content")]
    public required string Content { get; init; }

    [JsonPropertyName("entities_id")]
    public required int EntityId { get; init; }

    /// <summary>Null when the hub category has no GLPI counterpart: the field is then left out.</summary>
    [JsonPropertyName("itilcategories_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CategoryId { get; init; }

    /// <summary>1 incident, 2 request.</summary>
    [JsonPropertyName("type")]
    public required int Type { get; init; }

    /// <summary>1 very low .. 5 very high.</summary>
    [JsonPropertyName("urgency")]
    public required int Urgency { get; init; }

    /// <summary>The hub reference: what makes creation idempotent.</summary>
    [JsonPropertyName("externalid")]
    public required string ExternalId { get; init; }
}

/// <summary>A ticket as GLPI returns it (the fields the hub reads; GLPI sends many more).</summary>
internal sealed record GlpiTicket
{
    [JsonPropertyName("id")]
    public int Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("content")]
    public string? Content { get; init; }

    [JsonPropertyName("entities_id")]
    public int EntityId { get; init; }

    [JsonPropertyName("itilcategories_id")]
    public int CategoryId { get; init; }

    [JsonPropertyName("type")]
    public int Type { get; init; }

    [JsonPropertyName("urgency")]
    public int Urgency { get; init; }

    /// <summary>1 new, 2 assigned, 3 planned, 4 pending, 5 solved, 6 closed.</summary>
    [JsonPropertyName("status")]
    public int Status { get; init; }

    [JsonPropertyName("externalid")]
    public string? ExternalId { get; init; }

    /// <summary>GLPI's local time, <c>yyyy-MM-dd HH:mm:ss</c>, in the server's time zone.</summary>
    [JsonPropertyName("date")]
    public string? Date { get; init; }

    [JsonPropertyName("date_mod")]
    public string? DateMod { get; init; }
}

/// <summary>Fields of a new follow-up.</summary>
internal sealed record GlpiFollowupInput
{
    [JsonPropertyName("itemtype")]
    public string ItemType { get; init; } = "Ticket";

    [JsonPropertyName("items_id")]
    public required int ItemId { get; init; }

    [JsonPropertyName("content")]
    public required string Content { get; init; }

    [JsonPropertyName("is_private")]
    public int IsPrivate { get; init; }
}

/// <summary>A follow-up (ITILFollowup) of a ticket.</summary>
internal sealed record GlpiFollowup
{
    [JsonPropertyName("id")]
    public int Id { get; init; }

    [JsonPropertyName("items_id")]
    public int ItemId { get; init; }

    [JsonPropertyName("users_id")]
    public int UserId { get; init; }

    [JsonPropertyName("content")]
    public string? Content { get; init; }

    [JsonPropertyName("is_private")]
    public int IsPrivate { get; init; }

    [JsonPropertyName("date")]
    public string? Date { get; init; }
}

/// <summary>
/// Answer of <c>search/Ticket</c>. Rows are keyed by search option id ("2" id, "12" status,
/// "19" date_mod...). GLPI leaves <c>data</c> out altogether when nothing matched.
/// </summary>
internal sealed record GlpiSearchResult
{
    [JsonPropertyName("totalcount")]
    public int TotalCount { get; init; }

    [JsonPropertyName("count")]
    public int Count { get; init; }

    [JsonPropertyName("data")]
    public List<Dictionary<string, JsonElement>>? Data { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GlpiInput<GlpiTicketInput>))]
[JsonSerializable(typeof(GlpiInput<GlpiFollowupInput>))]
[JsonSerializable(typeof(GlpiSessionToken))]
[JsonSerializable(typeof(GlpiCreatedItem))]
[JsonSerializable(typeof(GlpiTicket))]
[JsonSerializable(typeof(List<GlpiTicket>))]
[JsonSerializable(typeof(GlpiFollowup))]
[JsonSerializable(typeof(List<GlpiFollowup>))]
[JsonSerializable(typeof(GlpiSearchResult))]
internal sealed partial class GlpiJsonContext : JsonSerializerContext;
