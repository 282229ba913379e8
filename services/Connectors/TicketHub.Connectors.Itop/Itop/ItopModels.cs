using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketHub.Connectors.Itop.Itop;

// The json_data iTop's rest.php reads and the answers it writes (REST/JSON services, version 1.3).
// Field names are iTop's own attribute codes.

/// <summary><c>core/create</c> of one ticket of class <paramref name="Class"/> (UserRequest or Incident).</summary>
internal sealed record ItopCreateRequest(
    [property: JsonPropertyName("class"), JsonPropertyOrder(-1)] string Class,
    [property: JsonPropertyName("comment")] string Comment,
    [property: JsonPropertyName("output_fields")] string OutputFields,
    [property: JsonPropertyName("fields")] ItopTicketInput Fields)
{
    [JsonPropertyName("operation")]
    [JsonPropertyOrder(-2)]
    public string Operation => "core/create";
}

/// <summary><c>core/get</c> on <paramref name="Class"/>: <paramref name="Key"/> is an OQL query.</summary>
internal sealed record ItopGetRequest(
    [property: JsonPropertyName("class"), JsonPropertyOrder(-1)] string Class,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("output_fields")] string OutputFields)
{
    [JsonPropertyName("operation")]
    [JsonPropertyOrder(-2)]
    public string Operation => "core/get";
}

/// <summary><c>core/update</c> of one ticket, by its class and key, adding an entry to its public log.</summary>
internal sealed record ItopUpdateRequest(
    [property: JsonPropertyName("class"), JsonPropertyOrder(-1)] string Class,
    [property: JsonPropertyName("comment")] string Comment,
    [property: JsonPropertyName("key")] int Key,
    [property: JsonPropertyName("output_fields")] string OutputFields,
    [property: JsonPropertyName("fields")] ItopPublicLogUpdate Fields)
{
    [JsonPropertyName("operation")]
    [JsonPropertyOrder(-2)]
    public string Operation => "core/update";
}

/// <summary>
/// <c>core/apply_stimulus</c> on one ticket: the lifecycle transition <paramref name="Stimulus"/>,
/// setting <paramref name="Fields"/> on the way (iTop's REST API does not ask for the fields its
/// forms would prompt for).
/// </summary>
internal sealed record ItopStimulusRequest(
    [property: JsonPropertyName("class"), JsonPropertyOrder(-1)] string Class,
    [property: JsonPropertyName("comment")] string Comment,
    [property: JsonPropertyName("key")] int Key,
    [property: JsonPropertyName("stimulus")] string Stimulus,
    [property: JsonPropertyName("output_fields")] string OutputFields,
    [property: JsonPropertyName("fields")] ItopSolutionInput Fields)
{
    [JsonPropertyName("operation")]
    [JsonPropertyOrder(-2)]
    public string Operation => "core/apply_stimulus";
}

/// <summary>What a resolution writes: the solution, HTML (iTop 3 keeps it so).</summary>
internal sealed record ItopSolutionInput([property: JsonPropertyName("solution")] string Solution);

/// <summary>
/// iTop's classes the connector names. With the ITIL modules, incidents are <see cref="Incident"/>
/// (itop-incident-mgmt-itil) and <see cref="UserRequest"/> holds service requests only; both derive
/// from <see cref="Ticket"/>, whose keys they share.
/// </summary>
internal static class ItopClasses
{
    public const string UserRequest = "UserRequest";

    public const string Incident = "Incident";

    /// <summary>The parent class: searched when the class of a ticket is not known (a lookup by reference).</summary>
    public const string Ticket = "Ticket";

    public const string Attachment = "Attachment";

    /// <summary>The classes the hub creates tickets in.</summary>
    public static bool IsTicketClass(string? name) => name is UserRequest or Incident;
}

/// <summary>
/// <c>core/create</c> of one Attachment, as iTop's documentation of attachments over REST/JSON
/// describes it: the object it belongs to (class, key, organization), a creation date, and the file.
/// </summary>
internal sealed record ItopAttachmentCreateRequest(
    [property: JsonPropertyName("comment")] string Comment,
    [property: JsonPropertyName("output_fields")] string OutputFields,
    [property: JsonPropertyName("fields")] ItopAttachmentInput Fields)
{
    [JsonPropertyName("operation")]
    [JsonPropertyOrder(-2)]
    public string Operation => "core/create";

    [JsonPropertyName("class")]
    [JsonPropertyOrder(-1)]
    public string Class => ItopClasses.Attachment;
}

/// <summary><c>core/get</c> of Attachments: <paramref name="Key"/> is an OQL query.</summary>
internal sealed record ItopAttachmentGetRequest(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("output_fields")] string OutputFields)
{
    [JsonPropertyName("operation")]
    [JsonPropertyOrder(-2)]
    public string Operation => "core/get";

    [JsonPropertyName("class")]
    [JsonPropertyOrder(-1)]
    public string Class => ItopClasses.Attachment;
}

internal sealed record ItopAttachmentInput
{
    /// <summary>Class of the ticket the file belongs to: <c>UserRequest</c> or <c>Incident</c>.</summary>
    [JsonPropertyName("item_class")]
    public required string ItemClass { get; init; }

    [JsonPropertyName("item_id")]
    public required int ItemId { get; init; }

    /// <summary>The request's organization: iTop shows an attachment to those who may see that organization.</summary>
    [JsonPropertyName("item_org_id")]
    public required int ItemOrgId { get; init; }

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> in iTop's time zone.</summary>
    [JsonPropertyName("creation_date")]
    public required string CreationDate { get; init; }

    [JsonPropertyName("contents")]
    public required ItopBlob Contents { get; init; }
}

/// <summary>A file as iTop's REST API writes and reads it: the bytes in base64, its name and type.</summary>
internal sealed record ItopBlob(
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("filename")] string FileName,
    [property: JsonPropertyName("mimetype")] string MimeType);

/// <summary>Answer of an operation on Attachments: the shape of <see cref="ItopResponse"/>, with Attachment fields.</summary>
internal sealed record ItopAttachmentResponse
{
    [JsonPropertyName("code")]
    public int Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("objects")]
    public Dictionary<string, ItopAttachmentObject>? Objects { get; init; }
}

internal sealed record ItopAttachmentObject
{
    [JsonPropertyName("code")]
    public int Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("key")]
    public int Key { get; init; }

    [JsonPropertyName("fields")]
    public ItopAttachmentFields Fields { get; init; } = new();
}

/// <summary>An Attachment as iTop returns it: only the output_fields asked for are present.</summary>
internal sealed record ItopAttachmentFields
{
    [JsonPropertyName("item_class")]
    public string? ItemClass { get; init; }

    [JsonPropertyName("item_id")]
    public int? ItemId { get; init; }

    [JsonPropertyName("contents")]
    public ItopBlob? Contents { get; init; }
}

/// <summary>The fields the hub sets on a new UserRequest or Incident.</summary>
internal sealed record ItopTicketInput
{
    [JsonPropertyName("org_id")]
    public required int OrgId { get; init; }

    [JsonPropertyName("caller_id")]
    public required int CallerId { get; init; }

    [JsonPropertyName("title")]
    public required string Title { get; init; }

    /// <summary>HTML; carries the hub reference (see <c>ItopTicketContent</c>).</summary>
    [JsonPropertyName("description")]
    public required string Description { get; init; }

    /// <summary>"1" critical, "2" high, "3" medium, "4" low: iTop's enum values are strings.</summary>
    [JsonPropertyName("urgency")]
    public required string Urgency { get; init; }

    /// <summary>UserRequest only: <c>service_request</c> (ITIL), or <c>incident</c> in a "simple ticket" install; null for an Incident.</summary>
    [JsonPropertyName("request_type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequestType { get; init; }

    [JsonPropertyName("origin")]
    public required string Origin { get; init; }

    [JsonPropertyName("service_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ServiceId { get; init; }

    [JsonPropertyName("servicesubcategory_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ServiceSubcategoryId { get; init; }
}

/// <summary><c>{"public_log": {"add_item": {"message": …, "format": …}}}</c>: appends, never replaces.</summary>
internal sealed record ItopPublicLogUpdate([property: JsonPropertyName("public_log")] ItopCaseLogAdd PublicLog)
{
    /// <summary>An entry in HTML (<c>format: html</c>), as iTop's own editor writes them.</summary>
    public static ItopPublicLogUpdate Html(string html) => new(new ItopCaseLogAdd(new ItopCaseLogItem(html, "html")));
}

internal sealed record ItopCaseLogAdd([property: JsonPropertyName("add_item")] ItopCaseLogItem AddItem);

/// <summary>A new log entry: <c>html</c> (the hub's text through <c>ToolHtml.FromPlainText</c>) or <c>text</c>.</summary>
internal sealed record ItopCaseLogItem(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("format")] string Format);

/// <summary>
/// Every answer: <c>code</c> 0 is success, anything else an error, even with HTTP 200 (1
/// unauthorized, 100 internal error or refused value…). <c>objects</c> is keyed
/// <c>"UserRequest::12"</c> and is <c>null</c>, not <c>{}</c>, when nothing matched.
/// </summary>
internal sealed record ItopResponse
{
    [JsonPropertyName("code")]
    public int Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("objects")]
    public Dictionary<string, ItopObject>? Objects { get; init; }
}

internal sealed record ItopObject
{
    [JsonPropertyName("code")]
    public int Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("class")]
    public string? Class { get; init; }

    /// <summary>iTop writes it as a string (<c>"12"</c>) or, right after a creation, as a number.</summary>
    [JsonPropertyName("key")]
    public int Key { get; init; }

    [JsonPropertyName("fields")]
    public ItopTicket Fields { get; init; } = new();
}

/// <summary>A UserRequest or an Incident as iTop returns it: only the output_fields asked for are present.</summary>
internal sealed record ItopTicket
{
    /// <summary>Human reference, e.g. <c>R-000012</c>.</summary>
    [JsonPropertyName("ref")]
    public string? Ref { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("org_id")]
    public int? OrgId { get; init; }

    [JsonPropertyName("caller_id")]
    public int? CallerId { get; init; }

    [JsonPropertyName("urgency")]
    [JsonConverter(typeof(ItopScalarConverter))]
    public string? Urgency { get; init; }

    [JsonPropertyName("request_type")]
    public string? RequestType { get; init; }

    [JsonPropertyName("origin")]
    public string? Origin { get; init; }

    [JsonPropertyName("service_id")]
    public int? ServiceId { get; init; }

    [JsonPropertyName("servicesubcategory_id")]
    public int? ServiceSubcategoryId { get; init; }

    /// <summary>The ticket's real class when a parent class (Ticket) was searched.</summary>
    [JsonPropertyName("finalclass")]
    public string? FinalClass { get; init; }

    /// <summary>Lifecycle state: new, assigned, pending, resolved, closed, escalated_tto…</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> in iTop's time zone.</summary>
    [JsonPropertyName("last_update")]
    public string? LastUpdate { get; init; }

    /// <summary>What the technician wrote when resolving: HTML (<c>&lt;p&gt;…&lt;/p&gt;</c>) in iTop 3.x.</summary>
    [JsonPropertyName("solution")]
    public string? Solution { get; init; }

    [JsonPropertyName("public_log")]
    public ItopCaseLog? PublicLog { get; init; }
}

/// <summary>A case log as iTop's REST API writes it: entries oldest first.</summary>
internal sealed record ItopCaseLog
{
    [JsonPropertyName("entries")]
    public List<ItopCaseLogEntry> Entries { get; init; } = [];
}

internal sealed record ItopCaseLogEntry
{
    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> in iTop's time zone.</summary>
    [JsonPropertyName("date")]
    public string? Date { get; init; }

    /// <summary>The author's friendly name (not the login, despite the name).</summary>
    [JsonPropertyName("user_login")]
    public string? UserLogin { get; init; }

    [JsonPropertyName("user_id")]
    [JsonConverter(typeof(ItopScalarConverter))]
    public string? UserId { get; init; }

    /// <summary>iTop's own plain-text rendering, whatever the entry's format.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>The entry as HTML (a text entry's lines joined by <c>&lt;br/&gt;</c>): what the sync reads, through <c>ToolHtml</c>.</summary>
    [JsonPropertyName("message_html")]
    public string? MessageHtml { get; init; }
}

/// <summary>Reads a value PHP may encode as a string, a number or null, as a string.</summary>
internal sealed class ItopScalarConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : reader.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected a string or a number, got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}

/// <summary>Numbers may come as strings: PHP writes database values that way.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ItopCreateRequest))]
[JsonSerializable(typeof(ItopGetRequest))]
[JsonSerializable(typeof(ItopUpdateRequest))]
[JsonSerializable(typeof(ItopStimulusRequest))]
[JsonSerializable(typeof(ItopResponse))]
[JsonSerializable(typeof(ItopAttachmentCreateRequest))]
[JsonSerializable(typeof(ItopAttachmentGetRequest))]
[JsonSerializable(typeof(ItopAttachmentResponse))]
internal sealed partial class ItopJsonContext : JsonSerializerContext;
