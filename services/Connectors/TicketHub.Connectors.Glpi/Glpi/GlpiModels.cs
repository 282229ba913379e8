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

    /// <summary>
    /// The hub reference, sent only to a GLPI that has the column (GLPI 11): GLPI 10 drops it, and
    /// finds the ticket again by the reference in its title (ADR 13).
    /// </summary>
    [JsonPropertyName("externalid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExternalId { get; init; }

    /// <summary>The GLPI user who asked, when GLPI knows the requester's e-mail.</summary>
    [JsonPropertyName("_users_id_requester")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RequesterUserId { get; init; }

    /// <summary>
    /// A requester GLPI does not know as a user: <c>_users_id_requester</c> 0 with this e-mail to notify
    /// (CommonITILObject::prepareInputForAdd reads <c>_users_id_requester_notif</c>).
    /// </summary>
    [JsonPropertyName("_users_id_requester_notif")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GlpiRequesterNotification? RequesterNotification { get; init; }
}

/// <summary>
/// GLPI 10's shape for the notification of a requester without a user:
/// <c>{"use_notification": [1], "alternative_email": ["claire@…"]}</c>, one entry per requester.
/// </summary>
internal sealed record GlpiRequesterNotification(
    [property: JsonPropertyName("use_notification")] IReadOnlyList<int> UseNotification,
    [property: JsonPropertyName("alternative_email")] IReadOnlyList<string> AlternativeEmail)
{
    public static GlpiRequesterNotification To(string email) => new([1], [email]);
}

/// <summary>A requester, observer or technician of a ticket (Ticket_User): <c>type</c> 1 requester, 2 technician, 3 observer.</summary>
internal sealed record GlpiTicketUser
{
    [JsonPropertyName("id")]
    public int Id { get; init; }

    [JsonPropertyName("tickets_id")]
    public int TicketId { get; init; }

    [JsonPropertyName("users_id")]
    public int UserId { get; init; }

    [JsonPropertyName("type")]
    public int Type { get; init; }

    [JsonPropertyName("use_notification")]
    public int UseNotification { get; init; }

    [JsonPropertyName("alternative_email")]
    public string? AlternativeEmail { get; init; }
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

/// <summary>
/// Fields of a new item of a ticket's timeline: a solution (ITILSolution) as they are, after which
/// GLPI marks the ticket solved (5), or refuses with 400 <c>ERROR_GLPI_ADD</c> when it already is.
/// </summary>
internal record GlpiTimelineInput
{
    [JsonPropertyName("itemtype")]
    public string ItemType { get; init; } = "Ticket";

    [JsonPropertyName("items_id")]
    public required int ItemId { get; init; }

    [JsonPropertyName("content")]
    public required string Content { get; init; }
}

/// <summary>Fields of a new follow-up.</summary>
internal sealed record GlpiFollowupInput : GlpiTimelineInput
{
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

    /// <summary>GLPI's local time, <c>yyyy-MM-dd HH:mm:ss</c>, in the server's time zone.</summary>
    [JsonPropertyName("date")]
    public string? Date { get; init; }
}

/// <summary>
/// A solution (ITILSolution) of a ticket. Solving a ticket adds one and moves the ticket to 5
/// (solved); a refused solution stays, and the next one gets a new id.
/// </summary>
internal sealed record GlpiSolution
{
    [JsonPropertyName("id")]
    public int Id { get; init; }

    [JsonPropertyName("items_id")]
    public int ItemId { get; init; }

    [JsonPropertyName("users_id")]
    public int UserId { get; init; }

    [JsonPropertyName("content")]
    public string? Content { get; init; }

    /// <summary>2 waiting for approval, 3 accepted, 4 refused.</summary>
    [JsonPropertyName("status")]
    public int Status { get; init; }

    /// <summary>GLPI's local time, <c>yyyy-MM-dd HH:mm:ss</c>, in the server's time zone.</summary>
    [JsonPropertyName("date_creation")]
    public string? DateCreation { get; init; }
}

/// <summary>Answer of <c>getFullSession</c>: PHP's session, of which the hub reads who it is logged in as.</summary>
internal sealed record GlpiFullSession
{
    [JsonPropertyName("session")]
    public GlpiSessionInfo? Session { get; init; }
}

internal sealed record GlpiSessionInfo
{
    /// <summary>Id of the user the session belongs to (the API account).</summary>
    [JsonPropertyName("glpiID")]
    public int UserId { get; init; }
}

/// <summary>A GLPI user, the fields that name a person.</summary>
internal sealed record GlpiUser
{
    [JsonPropertyName("id")]
    public int Id { get; init; }

    /// <summary>The login.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("firstname")]
    public string? FirstName { get; init; }

    [JsonPropertyName("realname")]
    public string? RealName { get; init; }

    /// <summary>"Firstname Realname" as GLPI shows a person, else the login.</summary>
    public string? DisplayName =>
        string.Join(' ', new[] { FirstName, RealName }.Where(part => !string.IsNullOrWhiteSpace(part)).Select(part => part!.Trim())) is { Length: > 0 } full
            ? full
            : string.IsNullOrWhiteSpace(Name) ? null : Name.Trim();
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

/// <summary>One page of a search for changed tickets.</summary>
/// <param name="Total">Rows matching the search, all pages together, as GLPI counted them for this page.</param>
/// <param name="HasMore">GLPI answered 206 and rows remain after this page.</param>
/// <param name="ServerTime">GLPI's clock when it answered (the HTTP <c>Date</c> header), or null.</param>
internal sealed record GlpiSearchPage(IReadOnlyList<GlpiSearchRow> Rows, int Total, bool HasMore, DateTimeOffset? ServerTime);

/// <summary>A row of <c>search/Ticket</c> as the status sync reads it.</summary>
/// <param name="DateMod">GLPI's local text, <c>yyyy-MM-dd HH:mm:ss</c>.</param>
/// <param name="FollowupCount">Null when GLPI did not send the column (the sync then reads the follow-ups whenever date_mod moved).</param>
/// <param name="ExternalId">The ticket's <c>externalid</c> (the hub reference) where GLPI has one (GLPI 11), or null.</param>
internal sealed record GlpiSearchRow(int Id, int Status, string DateMod, int? FollowupCount, string? ExternalId)
{
    /// <summary>
    /// Reads a row keyed by search option id; null when it lacks an id, a status or a date_mod.
    /// <paramref name="externalIdOption"/> is the search option of <c>externalid</c>, when GLPI has one.
    /// </summary>
    public static GlpiSearchRow? From(Dictionary<string, JsonElement> row, int? externalIdOption)
    {
        var id = Integer(row, GlpiApiExtensions.TicketField.Id);
        var status = Integer(row, GlpiApiExtensions.TicketField.Status);
        var dateMod = Text(row, GlpiApiExtensions.TicketField.DateMod);
        if (id is null || status is null || dateMod is null)
        {
            return null;
        }

        // A count GLPI sent as null means none; a count it did not send at all is unknown.
        int? followups = row.ContainsKey(Key(GlpiApiExtensions.TicketField.FollowupCount))
            ? Integer(row, GlpiApiExtensions.TicketField.FollowupCount) ?? 0
            : null;
        return new GlpiSearchRow(id.Value, status.Value, dateMod, followups, externalIdOption is { } option ? Text(row, option) : null);
    }

    public static string Key(int field) => field.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>GLPI sends numbers as JSON numbers or as strings, depending on the column and the version.</summary>
    public static int? Integer(Dictionary<string, JsonElement> row, int field) =>
        row.TryGetValue(Key(field), out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            JsonValueKind.String when int.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        } : null;

    public static string? Text(Dictionary<string, JsonElement> row, int field) =>
        row.TryGetValue(Key(field), out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}

/// <summary>
/// The <c>uploadManifest</c> of a document upload (apirest.md, "Upload a document file"):
/// <c>itemtype</c> and <c>items_id</c> make GLPI link the new document to the ticket in the same
/// call (Document::post_addItem adds the Document_Item).
/// </summary>
internal sealed record GlpiDocumentInput
{
    /// <summary>The document's name; GLPI 10 replaces it by "Document : Ticket - …" when it links the document on upload.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The uploaded file's name, for each file part (<c>filename[0]</c>).</summary>
    [JsonPropertyName("_filename")]
    public required IReadOnlyList<string> FileNames { get; init; }

    [JsonPropertyName("itemtype")]
    public string ItemType { get; init; } = "Ticket";

    [JsonPropertyName("items_id")]
    public required int ItemId { get; init; }

    [JsonPropertyName("entities_id")]
    public required int EntityId { get; init; }
}

/// <summary>A document as GLPI returns it (the fields the hub reads).</summary>
internal sealed record GlpiDocument
{
    [JsonPropertyName("id")]
    public int Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("filename")]
    public string? FileName { get; init; }

    [JsonPropertyName("mime")]
    public string? Mime { get; init; }

    /// <summary>SHA-1 of the file, lower-case hex: what GLPI keeps of the bytes whatever it does to the name.</summary>
    [JsonPropertyName("sha1sum")]
    public string? Sha1 { get; init; }
}

/// <summary>A link between a document and an item (Document_Item).</summary>
internal sealed record GlpiDocumentItem
{
    [JsonPropertyName("id")]
    public int Id { get; init; }

    [JsonPropertyName("documents_id")]
    public int DocumentId { get; init; }

    [JsonPropertyName("itemtype")]
    public string? ItemType { get; init; }

    [JsonPropertyName("items_id")]
    public int ItemId { get; init; }
}

/// <summary>Fields of a new Document_Item: links an existing document to a ticket.</summary>
internal sealed record GlpiDocumentItemInput
{
    [JsonPropertyName("documents_id")]
    public required int DocumentId { get; init; }

    [JsonPropertyName("itemtype")]
    public string ItemType { get; init; } = "Ticket";

    [JsonPropertyName("items_id")]
    public required int ItemId { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GlpiInput<GlpiTicketInput>))]
[JsonSerializable(typeof(GlpiInput<GlpiFollowupInput>))]
[JsonSerializable(typeof(GlpiInput<GlpiTimelineInput>))]
[JsonSerializable(typeof(GlpiSessionToken))]
[JsonSerializable(typeof(GlpiCreatedItem))]
[JsonSerializable(typeof(GlpiTicket))]
[JsonSerializable(typeof(List<GlpiTicket>))]
[JsonSerializable(typeof(GlpiFollowup))]
[JsonSerializable(typeof(List<GlpiFollowup>))]
[JsonSerializable(typeof(GlpiSearchResult))]
[JsonSerializable(typeof(List<GlpiSolution>))]
[JsonSerializable(typeof(GlpiFullSession))]
[JsonSerializable(typeof(GlpiUser))]
[JsonSerializable(typeof(GlpiInput<GlpiDocumentInput>))]
[JsonSerializable(typeof(GlpiInput<GlpiDocumentItemInput>))]
[JsonSerializable(typeof(GlpiDocument))]
[JsonSerializable(typeof(List<GlpiTicketUser>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(List<GlpiDocumentItem>))]
internal sealed partial class GlpiJsonContext : JsonSerializerContext;
