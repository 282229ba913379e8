using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketHub.Connectors.Itop.Itop;

// The json_data iTop's rest.php reads and the answers it writes (REST/JSON services, version 1.3).
// Field names are iTop's own attribute codes.

/// <summary><c>core/create</c> of one UserRequest.</summary>
internal sealed record ItopCreateRequest(
    [property: JsonPropertyName("comment")] string Comment,
    [property: JsonPropertyName("output_fields")] string OutputFields,
    [property: JsonPropertyName("fields")] ItopUserRequestInput Fields)
{
    [JsonPropertyName("operation")]
    [JsonPropertyOrder(-2)]
    public string Operation => "core/create";

    [JsonPropertyName("class")]
    [JsonPropertyOrder(-1)]
    public string Class => ItopClasses.UserRequest;
}

/// <summary><c>core/get</c>: <paramref name="Key"/> is an OQL query.</summary>
internal sealed record ItopGetRequest(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("output_fields")] string OutputFields)
{
    [JsonPropertyName("operation")]
    [JsonPropertyOrder(-2)]
    public string Operation => "core/get";

    [JsonPropertyName("class")]
    [JsonPropertyOrder(-1)]
    public string Class => ItopClasses.UserRequest;
}

/// <summary><c>core/update</c> of one UserRequest, by its key, adding an entry to its public log.</summary>
internal sealed record ItopUpdateRequest(
    [property: JsonPropertyName("comment")] string Comment,
    [property: JsonPropertyName("key")] int Key,
    [property: JsonPropertyName("output_fields")] string OutputFields,
    [property: JsonPropertyName("fields")] ItopPublicLogUpdate Fields)
{
    [JsonPropertyName("operation")]
    [JsonPropertyOrder(-2)]
    public string Operation => "core/update";

    [JsonPropertyName("class")]
    [JsonPropertyOrder(-1)]
    public string Class => ItopClasses.UserRequest;
}

internal static class ItopClasses
{
    public const string UserRequest = "UserRequest";

    public const string Attachment = "Attachment";
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
    /// <summary>Class of the object the file belongs to: <c>UserRequest</c>.</summary>
    [JsonPropertyName("item_class")]
    public string ItemClass { get; init; } = ItopClasses.UserRequest;

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

/// <summary>The fields the hub sets on a new UserRequest.</summary>
internal sealed record ItopUserRequestInput
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

    /// <summary><c>incident</c> or <c>service_request</c>.</summary>
    [JsonPropertyName("request_type")]
    public required string RequestType { get; init; }

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
    public static ItopPublicLogUpdate Text(string message) => new(new ItopCaseLogAdd(new ItopCaseLogItem(message, "text")));
}

internal sealed record ItopCaseLogAdd([property: JsonPropertyName("add_item")] ItopCaseLogItem AddItem);

/// <summary>A new log entry; <c>text</c> format keeps the collège's words as written (iTop escapes them on display).</summary>
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
    public ItopUserRequest Fields { get; init; } = new();
}

/// <summary>A UserRequest as iTop returns it: only the output_fields asked for are present.</summary>
internal sealed record ItopUserRequest
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

    /// <summary>Lifecycle state: new, assigned, pending, resolved, closed, escalated_tto…</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> in iTop's time zone.</summary>
    [JsonPropertyName("last_update")]
    public string? LastUpdate { get; init; }

    /// <summary>What the technician wrote when resolving.</summary>
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

    /// <summary>Plain text, whatever the entry's format.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

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
[JsonSerializable(typeof(ItopResponse))]
[JsonSerializable(typeof(ItopAttachmentCreateRequest))]
[JsonSerializable(typeof(ItopAttachmentGetRequest))]
[JsonSerializable(typeof(ItopAttachmentResponse))]
internal sealed partial class ItopJsonContext : JsonSerializerContext;
