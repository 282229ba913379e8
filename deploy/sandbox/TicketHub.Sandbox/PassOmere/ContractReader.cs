using System.Globalization;
using System.Net.Mail;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TicketHub.Sandbox.PassOmere;

/// <summary>
/// Reads the contract's request bodies (<c>NewTicket</c>, <c>NewMessage</c>) from JSON and says, field by
/// field and in French, what breaks the contract: the emulator is where a connector's drift shows.
/// Stricter than the schema in one way: a required string must not be blank.
/// </summary>
internal sealed partial class ContractReader
{
    private static readonly string[] TicketProperties =
        ["reference", "title", "description", "category", "type", "urgency", "queue", "location", "equipment", "flags", "college", "requester", "routing", "createdAt"];

    private static readonly string[] MessageProperties = ["hubMessageId", "body", "authorName"];

    private readonly Dictionary<string, List<string>> _errors = [];

    /// <summary>Field path (<c>college.uai</c>) → what is wrong with it.</summary>
    public Dictionary<string, string[]> Errors => _errors.ToDictionary(error => error.Key, error => error.Value.ToArray());

    public bool IsValid => _errors.Count == 0;

    public NewTicketPayload? ReadTicket(JsonElement body)
    {
        if (!IsObject(body, "$"))
        {
            return null;
        }

        RejectUnknown(body, TicketProperties, "");
        var reference = RequiredString(body, "reference", "reference");
        var title = RequiredString(body, "title", "title", maxLength: 200);
        var description = RequiredString(body, "description", "description", maxLength: 10_000);
        var category = RequiredString(body, "category", "category");
        var type = RequiredEnum(body, "type", "type", "incident", "request");
        var urgency = RequiredEnum(body, "urgency", "urgency", "low", "normal", "high", "critical");
        var queue = OptionalString(body, "queue", "queue");
        var location = OptionalString(body, "location", "location");
        var equipment = OptionalString(body, "equipment", "equipment");
        var flags = OptionalStrings(body, "flags", "flags");
        var college = ReadCollege(body);
        var requester = ReadRequester(body);
        var routing = ReadRouting(body);
        var createdAt = RequiredInstant(body, "createdAt", "createdAt");

        return IsValid
            ? new NewTicketPayload(reference!, title!, description!, category!, type!, urgency!, queue, location, equipment, flags,
                college!, requester!, routing, createdAt!.Value)
            : null;
    }

    public NewMessagePayload? ReadMessage(JsonElement body)
    {
        if (!IsObject(body, "$"))
        {
            return null;
        }

        RejectUnknown(body, MessageProperties, "");
        var hubMessageId = RequiredString(body, "hubMessageId", "hubMessageId");
        Guid parsed = default;
        if (hubMessageId is not null && !Guid.TryParse(hubMessageId, out parsed))
        {
            Add("hubMessageId", "Doit être un UUID.");
        }

        var text = RequiredString(body, "body", "body", maxLength: 10_000);
        var authorName = RequiredString(body, "authorName", "authorName");
        return IsValid ? new NewMessagePayload(parsed, hubMessageId!, text!, authorName!) : null;
    }

    /// <summary>
    /// An RFC 3339 instant with its offset (<c>2026-11-20T09:00:00Z</c>, <c>…+01:00</c>); null otherwise,
    /// including for a local time without offset.
    /// </summary>
    public static DateTimeOffset? ParseInstant(string? text) =>
        text is not null && Rfc3339().IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            ? instant.ToUniversalTime()
            : null;

    public const string InstantHint = "Doit être un instant RFC 3339 avec son décalage, par ex. 2026-11-20T09:00:00Z.";

    private CollegePayload? ReadCollege(JsonElement body)
    {
        if (RequiredObject(body, "college", "college") is not { } college)
        {
            return null;
        }

        var uai = RequiredString(college, "uai", "college.uai");
        var name = RequiredString(college, "name", "college.name");
        var commune = OptionalString(college, "commune", "college.commune");
        var ut = OptionalString(college, "ut", "college.ut");
        return uai is null || name is null ? null : new CollegePayload(uai, name, commune, ut);
    }

    private RequesterPayload? ReadRequester(JsonElement body)
    {
        if (RequiredObject(body, "requester", "requester") is not { } requester)
        {
            return null;
        }

        var name = RequiredString(requester, "name", "requester.name");
        var email = RequiredString(requester, "email", "requester.email");
        if (email is not null && !(MailAddress.TryCreate(email, out var address) && address.Address == email))
        {
            Add("requester.email", "Adresse e-mail invalide.");
        }

        var phone = OptionalString(requester, "phone", "requester.phone");
        return name is null || email is null ? null : new RequesterPayload(name, email, phone);
    }

    private RoutingPayload? ReadRouting(JsonElement body)
    {
        if (!body.TryGetProperty("routing", out var routing) || routing.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (!IsObject(routing, "routing"))
        {
            return null;
        }

        return new RoutingPayload(OptionalString(routing, "rule", "routing.rule"), OptionalString(routing, "explanation", "routing.explanation"));
    }

    private bool IsObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        Add(path, "Doit être un objet JSON.");
        return false;
    }

    private void RejectUnknown(JsonElement body, string[] known, string prefix)
    {
        foreach (var property in body.EnumerateObject().Where(property => !known.Contains(property.Name, StringComparer.Ordinal)))
        {
            Add(prefix + property.Name, "Propriété inconnue du contrat (additionalProperties: false).");
        }
    }

    private JsonElement? RequiredObject(JsonElement body, string name, string path)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            Add(path, "Champ obligatoire.");
            return null;
        }

        return IsObject(value, path) ? value : null;
    }

    private string? RequiredString(JsonElement body, string name, string path, int? maxLength = null)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            Add(path, "Champ obligatoire.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(path, "Doit être une chaîne de caractères.");
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            Add(path, "Ne doit pas être vide.");
            return null;
        }

        return WithinLength(text, path, maxLength) ? text : null;
    }

    private string? OptionalString(JsonElement body, string name, string path)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(path, "Doit être une chaîne de caractères ou null.");
            return null;
        }

        return value.GetString();
    }

    private string? RequiredEnum(JsonElement body, string name, string path, params string[] allowed)
    {
        var text = RequiredString(body, name, path);
        if (text is null || allowed.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        Add(path, $"Valeur « {text} » non admise ; valeurs admises : {string.Join(", ", allowed)}.");
        return null;
    }

    private IReadOnlyList<string> OptionalStrings(JsonElement body, string name, string path)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            Add(path, "Doit être un tableau de chaînes de caractères.");
            return [];
        }

        return [.. value.EnumerateArray().Select(item => item.GetString()!)];
    }

    private DateTimeOffset? RequiredInstant(JsonElement body, string name, string path)
    {
        var text = RequiredString(body, name, path);
        if (text is null)
        {
            return null;
        }

        var instant = ParseInstant(text);
        if (instant is null)
        {
            Add(path, InstantHint);
        }

        return instant;
    }

    /// <summary>JSON Schema's maxLength counts characters (code points), not UTF-16 units.</summary>
    private bool WithinLength(string text, string path, int? maxLength)
    {
        if (maxLength is not { } max || text.EnumerateRunes().Count() <= max)
        {
            return true;
        }

        Add(path, $"{max} caractères au plus.");
        return false;
    }

    private void Add(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var messages))
        {
            _errors[path] = messages = [];
        }

        messages.Add(message);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
