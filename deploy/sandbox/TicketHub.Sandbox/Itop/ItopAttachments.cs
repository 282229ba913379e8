using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace TicketHub.Sandbox.Itop;

/// <summary>
/// An Attachment of the emulated iTop: a file that belongs to an object (a UserRequest or an Incident), as
/// iTop's attachments module keeps it. Immutable, like the requests.
/// </summary>
internal sealed record ItopAttachmentRecord
{
    public required int Id { get; init; }

    public required string ItemClass { get; init; }

    public required int ItemId { get; init; }

    public required int ItemOrgId { get; init; }

    public required DateTimeOffset CreationDate { get; init; }

    public required string FileName { get; init; }

    public required string MimeType { get; init; }

    public required byte[] Data { get; init; }

    public required int UserId { get; init; }

    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Data));
}

/// <summary>
/// The Attachment class over REST/JSON, as iTop's documentation of attachments describes it:
/// <c>core/create</c> with <c>item_class</c>, <c>item_id</c>, <c>item_org_id</c>,
/// <c>creation_date</c> and <c>contents</c> (<c>data</c> in base64, <c>filename</c>, <c>mimetype</c>),
/// and <c>core/get</c> by id or OQL (<c>SELECT Attachment WHERE item_class = … AND item_id = …</c>),
/// the file coming back in base64.
/// </summary>
internal static class ItopAttachments
{
    public const string ClassName = "Attachment";

    /// <summary>Attribute codes of Attachment, in the order iTop lists them for <c>output_fields: "*"</c>.</summary>
    public static readonly IReadOnlyList<string> Attributes =
        ["expire", "temp_id", "item_class", "item_id", "item_org_id", "contents", "creation_date", "user_id", "contact_id", "friendlyname"];

    /// <summary>What OQL can filter on: a blob (<c>contents</c>) cannot be searched.</summary>
    public static bool IsSearchable(string code) => code is not "contents" && (code == "id" || Attributes.Contains(code));

    public static Dictionary<string, object?> Create(JsonElement data, ItopStore store, ItopDates dates, ItopSandboxOptions options)
    {
        var fields = Mandatory(data, "fields");
        var itemClass = Text(fields, "item_class");
        if (itemClass is not (ItopClassNames.UserRequest or ItopClassNames.Incident))
        {
            throw ItopFailure.Thrown($"item_class: invalid value '{itemClass}' (the sandbox attaches files to UserRequest and Incident only)");
        }

        if (!int.TryParse(Text(fields, "item_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var itemId)
            || store.Find(itemId) is not { } request || request.Class != itemClass)
        {
            throw ItopFailure.Thrown($"item_id: no {itemClass} with the key '{Text(fields, "item_id")}'");
        }

        var orgId = int.TryParse(Text(fields, "item_org_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var org) ? org : request.OrgId;
        var contents = Mandatory(fields, "contents");
        var fileName = Text(contents, "filename");
        var mimeType = Text(contents, "mimetype");
        var base64 = Text(contents, "data");
        if (string.IsNullOrEmpty(fileName) || string.IsNullOrEmpty(mimeType) || base64 is null)
        {
            throw ItopFailure.Thrown("contents: a file needs 'data', 'filename' and 'mimetype'");
        }

        var bytes = new byte[base64.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
        {
            throw ItopFailure.Thrown("contents: 'data' is not base64");
        }

        if (length > options.AttachmentMaxSize)
        {
            throw ItopFailure.Thrown($"contents: the file is larger than the {options.AttachmentMaxSize} bytes allowed");
        }

        var creationDate = dates.TryRead(Text(fields, "creation_date"), out var given) ? given : store.Now;
        var output = OutputFields(data);
        var attachment = store.AddAttachment(id => new ItopAttachmentRecord
        {
            Id = id,
            ItemClass = itemClass,
            ItemId = itemId,
            ItemOrgId = orgId,
            CreationDate = creationDate,
            FileName = fileName,
            MimeType = mimeType,
            Data = bytes[..length],
            UserId = ItopUsers.RestAccount,
        });
        return Result([(attachment, "created")], output, dates, message: null, numberKey: true);
    }

    public static Dictionary<string, object?> Get(JsonElement data, ItopStore store, ItopDates dates)
    {
        var key = Mandatory(data, "key");
        var output = OutputFields(data);
        List<ItopAttachmentRecord> found;
        if (key.ValueKind == JsonValueKind.Number || (key.ValueKind == JsonValueKind.String && int.TryParse(key.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var id = int.Parse(key.ValueKind == JsonValueKind.Number ? key.GetRawText() : key.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);
            found = store.FindAttachment(id) is { } attachment ? [attachment] : [];
        }
        else if (key.ValueKind == JsonValueKind.String)
        {
            ItopOql query;
            try
            {
                query = ItopOql.Parse(key.GetString()!);
            }
            catch (FormatException ex)
            {
                throw ItopFailure.Thrown($"Query failed to execute (query: {key.GetString()}, exception_message: {ex.Message})");
            }

            if (query.ClassName != ClassName)
            {
                throw ItopFailure.Thrown($"Wrong class for the key: the query selects {query.ClassName}, the call names {ClassName}");
            }

            found = [.. store.Attachments().Where(attachment => query.Matches(code => Value(attachment, dates, code) as string))];
        }
        else
        {
            throw ItopFailure.Thrown("Wrong format for key");
        }

        return Result([.. found.Select(attachment => (attachment, ""))], output, dates, $"Found: {found.Count}", numberKey: false);
    }

    /// <summary>The value of one attribute, as the REST API writes it (keys and numbers as strings, the file as an object).</summary>
    public static object? Value(ItopAttachmentRecord attachment, ItopDates dates, string code) => code switch
    {
        "id" => ItopObjects.Key(attachment.Id),
        "expire" => "",
        "temp_id" => "",
        "item_class" => attachment.ItemClass,
        "item_id" => ItopObjects.Key(attachment.ItemId),
        "item_org_id" => ItopObjects.Key(attachment.ItemOrgId),
        "contents" => new Dictionary<string, object>
        {
            ["data"] = Convert.ToBase64String(attachment.Data),
            ["mimetype"] = attachment.MimeType,
            ["filename"] = attachment.FileName,
            ["downloads_count"] = "0",
        },
        "creation_date" => dates.Format(attachment.CreationDate),
        "user_id" => ItopObjects.Key(attachment.UserId),
        "contact_id" => "0",
        "friendlyname" => attachment.FileName,
        _ => null,
    };

    private static Dictionary<string, object?> Result(
        IReadOnlyList<(ItopAttachmentRecord Attachment, string Message)> objects, IReadOnlyList<string> output, ItopDates dates, string? message, bool numberKey) => new()
    {
        ["objects"] = objects.Count == 0 ? null : objects.ToDictionary(
            result => $"{ClassName}::{result.Attachment.Id}",
            result => new Dictionary<string, object?>
            {
                ["code"] = 0,
                ["message"] = result.Message,
                ["class"] = ClassName,
                // Right after an insert iTop writes the key as a number; read back, as a string.
                ["key"] = numberKey ? result.Attachment.Id : ItopObjects.Key(result.Attachment.Id),
                ["fields"] = output.ToDictionary(code => code, code => Value(result.Attachment, dates, code)),
            }),
        ["code"] = 0,
        ["message"] = message,
    };

    private static IReadOnlyList<string> OutputFields(JsonElement data)
    {
        var given = data.TryGetProperty("output_fields", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "*";
        if (given is "*" or "*+")
        {
            return Attributes;
        }

        var codes = given.Split(',', StringSplitOptions.TrimEntries);
        foreach (var code in codes.Where(code => code != "id" && !Attributes.Contains(code)))
        {
            throw ItopFailure.Thrown($"output_fields: invalid attribute code '{code}'");
        }

        return codes;
    }

    private static JsonElement Mandatory(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw ItopFailure.Thrown($"Missing parameter '{name}'");

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
