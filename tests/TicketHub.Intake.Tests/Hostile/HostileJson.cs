using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketHub.Testing.Hostile;

/// <summary>What a field holds, which decides what is hostile for it.</summary>
public enum FieldKind
{
    /// <summary>Free text on one line (a title, a name).</summary>
    SingleLine,

    /// <summary>Free text where tabs and line breaks are allowed (a description, a reply).</summary>
    MultiLine,

    /// <summary>A closed format: a code from a list, a UAI, an e-mail address, a date.</summary>
    Code,

    Boolean,
    Integer,
}

/// <param name="Path">Dotted path in the body: <c>requester.name</c>.</param>
/// <param name="MaxLength">Longest accepted text, after trimming.</param>
public sealed record JsonField(string Path, FieldKind Kind, int MaxLength = 0, bool Required = false);

/// <summary>What the service must make of a body, whatever its exact status codes are.</summary>
public enum Outcome
{
    /// <summary>A valid request: accepted, its text stored as sent.</summary>
    Valid,

    /// <summary>Well-formed JSON that fails validation.</summary>
    Invalid,

    /// <summary>Not JSON, or not UTF-8.</summary>
    Malformed,

    WrongContentType,
    TooLarge,

    /// <summary>Refused either as malformed or as invalid (deep nesting, a top-level array…).</summary>
    Rejected,

    /// <summary>The service may accept or refuse; only the general rules apply.</summary>
    Either,
}

/// <param name="Sent">The body as the service should read it, when it is well-formed JSON.</param>
/// <param name="Field">The field that was made hostile, if one was.</param>
public sealed record BodyVariant(string Category, byte[] Body, string? ContentType, Outcome Outcome, JsonObject? Sent, string? Field);

/// <summary>
/// Hostile variants of a valid JSON body: each changes one thing (a field's type or text, the
/// syntax, the encoding, the content type, the size, the depth) and says what should come of it.
/// </summary>
public static class HostileJson
{
    public const string Json = "application/json";

    private const string Hole = "@@HOLE@@";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Categories =
    [
        "hostile-text", "hostile-text", "hostile-text", "control-characters", "lone-surrogate", "wrong-type", "wrong-type",
        "missing-field", "null-field", "extra-field", "huge-string", "deep-nesting", "malformed-json", "invalid-utf8",
        "wrong-content-type", "content-type-charset", "oversized", "top-level-not-object", "empty-body", "duplicate-key", "bom",
    ];

    private static readonly string[] MalformedBodies =
    [
        "{", "}", "{\"title\":}", "{\"title\" \"x\"}", "{'title': 'x'}", "{title: \"x\"}", "{\"a\":1,}", "[1,2,]", "{\"a\":NaN}",
        "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}",
        "{\"a\":\"line\nbreak\"}", "{\"a\":1} {\"b\":2}", "{\"a\":1}}", "/* commentaire */ {\"a\":1}", "{\"a\":1 // commentaire\n}",
        "<ticket><title>x</title></ticket>", "title=x&description=y", "\"unterminated", "{\"a\":\"x", "nul", "tru", "[", "]",
        "\u0000", "{\"a\":\"\\\"}", "{\"\\uZZZZ\":1}", "{\"a\" : [1, 2, {\"b\": }]}",
    ];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "text/html", "text/json", "application/xml", "text/xml", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz", "application/octet-stream", "text/csv", "garbage", ";;;", "application/", "/json",
        "application/jsonx", "application/json-seq", "image/png", "*/*",
    ];

    private static readonly string[] Charsets =
    [
        "application/json; charset=utf-8", "application/json;charset=UTF-8", "application/json; charset=latin1",
        "application/json; charset=utf-16", "application/json; charset=\"unknown\"", "application/json; charset=\"utf-8\"",
        "application/json; charset=x-unknown-42", "application/json; charset=", "application/vnd.tickethub+json",
        "APPLICATION/JSON", "application/json; foo=bar; charset=utf-8",
    ];

    private static readonly string[] ExtraFieldNames =
    [
        "descripton", "__proto__", "constructor", "$type", "$id", "", " ", "a.b", "x\u0000y", "\u202Eeltit", "😀",
        "id", "status", "createdAt", "reference",
    ];

    /// <summary><paramref name="count"/> variants of <paramref name="template"/>, each changing one thing.</summary>
    /// <param name="bodyLimit">Bytes over which the service answers 413; null when it has no limit of its own.</param>
    /// <param name="maxDepth">Deepest JSON the service reads.</param>
    public static IEnumerable<BodyVariant> Variants(
        Random random, JsonObject template, IReadOnlyList<JsonField> fields, int count,
        bool rejectsUnknownFields, long? bodyLimit, int maxDepth)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Variant(NextCategory(random), random, template, fields, rejectsUnknownFields, bodyLimit, maxDepth);
        }
    }

    /// <summary>A category, hostile text (the one that must be accepted) more often than the others.</summary>
    public static string NextCategory(Random random) => Categories[random.Next(Categories.Length)];

    public static BodyVariant Variant(
        string category, Random random, JsonObject template, IReadOnlyList<JsonField> fields,
        bool rejectsUnknownFields, long? bodyLimit, int maxDepth)
    {
        var body = (JsonObject)template.DeepClone();
        var textFields = fields.Where(f => f.Kind is FieldKind.SingleLine or FieldKind.MultiLine).ToList();
        var field = fields[random.Next(fields.Count)];
        switch (category)
        {
            case "hostile-text" when textFields.Count > 0:
            {
                field = textFields[random.Next(textFields.Count)];
                var multiLine = random.Next(4) == 0;
                var value = multiLine ? HostileText.MultiLine[random.Next(HostileText.MultiLine.Count)] : HostileText.AnyValid(random);
                var ok = value.Trim().Length <= field.MaxLength && (!multiLine || field.Kind == FieldKind.MultiLine);
                // Raw UTF-8 half of the time, JSON escapes the other half: the service must read both.
                if (random.Next(2) == 0)
                {
                    Set(body, field.Path, value);
                    return new(category, Serialize(body), Json, ok ? Outcome.Valid : Outcome.Invalid, body, field.Path);
                }

                var sent = (JsonObject)body.DeepClone();
                Set(sent, field.Path, value);
                Set(body, field.Path, Hole);
                return new(category, Fill(Serialize(body), RawJsonString(value)), Json, ok ? Outcome.Valid : Outcome.Invalid, sent, field.Path);
            }

            case "control-characters":
                field = textFields.Count > 0 ? textFields[random.Next(textFields.Count)] : field;
                Set(body, field.Path, HostileText.Controls[random.Next(HostileText.Controls.Count)]);
                return new(category, Serialize(body), Json, Outcome.Invalid, body, field.Path);

            case "lone-surrogate":
                field = textFields.Count > 0 ? textFields[random.Next(textFields.Count)] : field;
                Set(body, field.Path, Hole);
                var escape = HostileText.LoneSurrogateEscapes[random.Next(HostileText.LoneSurrogateEscapes.Count)];
                return new(category, Fill(Serialize(body), Encoding.ASCII.GetBytes(escape)), Json, Outcome.Rejected, null, field.Path);

            case "wrong-type":
            {
                var value = WrongValue(random, field.Kind);
                Set(body, field.Path, value);
                return new(category, Serialize(body), Json, Outcome.Invalid, body, field.Path);
            }

            case "missing-field":
                Remove(body, field.Path);
                return new(category, Serialize(body), Json, field.Required ? Outcome.Invalid : Outcome.Valid, body, field.Path);

            case "null-field":
                Set(body, field.Path, (JsonNode?)null);
                return new(category, Serialize(body), Json, field.Required ? Outcome.Invalid : Outcome.Valid, body, field.Path);

            case "extra-field":
            {
                var name = random.Next(3) == 0 ? HostileText.Long(random.Next(100, 5000), random) : ExtraFieldNames[random.Next(ExtraFieldNames.Length)];
                if (body.ContainsKey(name))
                {
                    name += "_inconnu";
                }

                body[name] = random.Next(2) == 0 ? JsonValue.Create(HostileText.AnyValid(random)) : new JsonObject { ["nested"] = new JsonArray(1, 2) };
                return new(category, Serialize(body), Json, rejectsUnknownFields ? Outcome.Invalid : Outcome.Either, body, name);
            }

            case "huge-string":
            {
                var length = random.Next(3) switch
                {
                    0 => Math.Max(field.MaxLength, 1) + 1 + random.Next(50),
                    1 => 100_000,
                    _ => 1_000_000,
                };
                Set(body, field.Path, HostileText.Long(length, random));
                var bytes = Serialize(body);
                var outcome = bytes.Length > bodyLimit ? Outcome.TooLarge
                    : field.Kind is FieldKind.Boolean or FieldKind.Integer || field.MaxLength > 0 ? Outcome.Invalid : Outcome.Either;
                return new(category, bytes, Json, outcome, body, field.Path);
            }

            case "deep-nesting":
            {
                int[] depths = [2, maxDepth - 2, maxDepth - 1, maxDepth, maxDepth + 1, maxDepth + 10, 1_000, 20_000];
                var depth = depths[random.Next(depths.Length)];
                var nested = random.Next(2) == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                if (random.Next(3) == 0)
                {
                    return new(category, Encoding.UTF8.GetBytes(nested), Json, Outcome.Rejected, null, null);
                }

                Set(body, field.Path, Hole);
                var bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Serialize(body)).Replace($"\"{Hole}\"", nested, StringComparison.Ordinal));
                return new(category, bytes, Json, bytes.Length > bodyLimit ? Outcome.TooLarge : Outcome.Rejected, null, field.Path);
            }

            case "malformed-json":
                return new(category, Encoding.UTF8.GetBytes(MalformedBodies[random.Next(MalformedBodies.Length)]), Json, Outcome.Malformed, null, null);

            case "invalid-utf8":
            {
                var bad = HostileText.InvalidUtf8[random.Next(HostileText.InvalidUtf8.Count)];
                switch (random.Next(4))
                {
                    case 0:
                        // Inside a string value.
                        field = textFields.Count > 0 ? textFields[random.Next(textFields.Count)] : field;
                        Set(body, field.Path, "avant" + Hole + "après");
                        return new(category, Fill(Serialize(body), bad), Json, Outcome.Malformed, null, field.Path);
                    case 1:
                        // Inside a property name.
                        body["x" + Hole] = 1;
                        return new(category, Fill(Serialize(body), bad), Json, Outcome.Malformed, null, null);
                    case 2:
                        // Between tokens.
                        return new(category, [.. Serialize(body)[..1], .. bad, .. Serialize(body)[1..]], Json, Outcome.Malformed, null, null);
                    default:
                        var garbage = new byte[random.Next(1, 200)];
                        random.NextBytes(garbage);
                        garbage[0] = 0xFF;
                        return new(category, garbage, Json, Outcome.Malformed, null, null);
                }
            }

            case "wrong-content-type":
            {
                var type = random.Next(10) == 0 ? null : WrongContentTypes[random.Next(WrongContentTypes.Length)];
                return new(category, Serialize(body), type, Outcome.WrongContentType, body, null);
            }

            case "content-type-charset":
            {
                // JSON is UTF-8 (RFC 8259): a service may honour another declared charset or ignore it, so only
                // a UTF-8 body declared as UTF-8 must come back as sent.
                var type = Charsets[random.Next(Charsets.Length)];
                var utf8 = !type.Contains("charset", StringComparison.OrdinalIgnoreCase) || type.Contains("utf-8", StringComparison.OrdinalIgnoreCase);
                return new(category, Serialize(body), type, utf8 ? Outcome.Valid : Outcome.Either, utf8 ? body : null, null);
            }

            case "oversized" when bodyLimit is { } limit:
            {
                // Valid JSON padded with white space: only the size is wrong.
                var size = (int)limit + 1 + random.Next(3) switch { 0 => 0, 1 => 10_000, _ => 2_000_000 };
                var valid = Serialize(body);
                var padded = new byte[size];
                Array.Fill(padded, (byte)' ');
                valid.CopyTo(padded, 0);
                return new(category, padded, Json, Outcome.TooLarge, body, null);
            }

            case "oversized":
            {
                var valid = Serialize(body);
                var padded = new byte[valid.Length + 3_000_000];
                Array.Fill(padded, (byte)' ');
                valid.CopyTo(padded, 0);
                return new(category, padded, Json, Outcome.Either, body, null);
            }

            case "top-level-not-object":
            {
                string[] roots = ["[]", "[{}]", "\"texte\"", "42", "-0.5e10", "null", "true", "false", "[" + Encoding.UTF8.GetString(Serialize(body)) + "]"];
                return new(category, Encoding.UTF8.GetBytes(roots[random.Next(roots.Length)]), Json, Outcome.Rejected, null, null);
            }

            case "empty-body":
            {
                string[] empties = ["", " ", "\r\n", "\t \n"];
                return new(category, Encoding.UTF8.GetBytes(empties[random.Next(empties.Length)]), Json, Outcome.Malformed, null, null);
            }

            case "duplicate-key":
            {
                var json = Encoding.UTF8.GetString(Serialize(body));
                var key = field.Path.Split('.')[0];
                json = "{" + JsonSerializer.Serialize(key) + ":" + JsonSerializer.Serialize(HostileText.AnyValid(random)) + "," + json[1..];
                return new(category, Encoding.UTF8.GetBytes(json), Json, Outcome.Either, null, key);
            }

            case "bom":
                return new(category, [0xEF, 0xBB, 0xBF, .. Serialize(body)], Json, Outcome.Either, body, null);

            default:
                return Variant("wrong-type", random, template, fields, rejectsUnknownFields, bodyLimit, maxDepth);
        }
    }

    public static byte[] Serialize(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Relaxed));

    /// <summary>Sets a dotted path (<c>requester.name</c>), creating nothing: the parents must exist.</summary>
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var (parent, name) = Parent(root, path);
        parent[name] = value;
    }

    public static void Set(JsonObject root, string path, string value) => Set(root, path, JsonValue.Create(value));

    public static JsonNode? Get(JsonObject root, string path)
    {
        var (parent, name) = Parent(root, path);
        return parent[name];
    }

    public static void Remove(JsonObject root, string path)
    {
        var (parent, name) = Parent(root, path);
        parent.Remove(name);
    }

    private static (JsonObject Parent, string Name) Parent(JsonObject root, string path)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }

        return (parent, parts[^1]);
    }

    /// <summary>A value of another JSON type than the field's.</summary>
    private static JsonNode? WrongValue(Random random, FieldKind kind)
    {
        Func<JsonNode?>[] common =
        [
            () => new JsonArray(), () => new JsonObject(), () => new JsonArray("x", 1), () => new JsonObject { ["a"] = "b" },
            () => JsonNode.Parse("1e400"), () => JsonNode.Parse("-9223372036854775809"),
        ];
        Func<JsonNode?>[] specific = kind switch
        {
            FieldKind.Boolean => [() => 1, () => 0, () => "true", () => "oui", () => ""],
            FieldKind.Integer => [() => "abc", () => true, () => 1.5, () => "", () => "1 999"],
            _ => [() => 42, () => -1, () => 1.5, () => true, () => false, () => 0],
        };
        var all = common.Concat(specific).ToArray();
        return all[random.Next(all.Length)]();
    }

    /// <summary>The body's single <see cref="Hole"/> placeholder (with its quotes kept) replaced by raw bytes.</summary>
    private static byte[] Fill(byte[] body, byte[] bytes)
    {
        var hole = Encoding.ASCII.GetBytes(Hole);
        var at = body.AsSpan().IndexOf(hole);
        return [.. body[..at], .. bytes, .. body[(at + hole.Length)..]];
    }

    /// <summary>JSON string content with only what JSON requires escaped; everything else as raw UTF-8.</summary>
    private static byte[] RawJsonString(string value)
    {
        var text = new StringBuilder();
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
