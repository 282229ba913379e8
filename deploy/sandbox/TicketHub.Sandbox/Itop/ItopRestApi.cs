using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.Itop;

/// <summary>
/// iTop's REST/JSON entry point (<c>webservices/rest.php</c>, as iTop's rest.php and
/// core/restservices.class.inc.php behave): <c>auth_user</c>, <c>auth_pwd</c>, <c>version</c> and
/// <c>json_data</c> as form fields (or query parameters); operations <c>list_operations</c>,
/// <c>core/create</c>, <c>core/get</c>, <c>core/update</c> and <c>core/apply_stimulus</c> on
/// UserRequest and (ITIL, the default) Incident, <c>core/get</c> on their parent Ticket;
/// <c>core/create</c> and <c>core/get</c> on Attachment (<see cref="ItopAttachments"/>). Every answer
/// is HTTP 200; <c>code</c> says how it went.
/// </summary>
internal static class ItopRestApi
{
    public const string Path = "/itop/webservices/rest.php";

    /// <summary>Key of the emulated iTop's <see cref="FaultInjector"/>.</summary>
    public const string Tool = "itop";

    private static readonly string[] Versions = ["1.0", "1.1", "1.2", "1.3"];

    private static readonly (string Verb, string Description)[] Operations =
    [
        ("core/create", "Create an object"),
        ("core/update", "Update an object"),
        ("core/apply_stimulus", "Apply a stimulus to change the state of an object"),
        ("core/get", "Search for objects"),
        ("core/delete", "Delete objects"),
        ("core/get_related", "Get related objects through the specified relation"),
        ("core/check_credentials", "Check user credentials"),
    ];

    public static IEndpointRouteBuilder MapItopRestApi(this IEndpointRouteBuilder app)
    {
        // Called by programs, not by a browser form: no antiforgery token, as with iTop.
        // An injected failure is what PHP gives on a fatal error: a 500 outside iTop's JSON.
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], HandleAsync).DisableAntiforgery()
            .InjectFaults(Tool, _ => Results.Text(
                "Internal Server Error (injected by the sandbox: Sandbox:Itop:Faults)", "text/plain", statusCode: StatusCodes.Status500InternalServerError));
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, ItopStore store, ItopDates dates, IOptions<ItopSandboxOptions> options)
    {
        var parameters = await ReadParametersAsync(http);
        Dictionary<string, object?> body;
        try
        {
            Authenticate(parameters, options.Value);
            var version = parameters.GetValueOrDefault("version")
                ?? throw ItopFailure.Thrown("Missing parameter 'version' (e.g. '1.0')", ItopFailure.MissingVersion);
            // The message misses its closing quote in iTop too.
            var json = parameters.GetValueOrDefault("json_data") ?? throw ItopFailure.Thrown("Missing parameter 'json_data", ItopFailure.MissingJson);
            using var document = ParseJson(json);
            if (!Versions.Contains(version, StringComparer.Ordinal))
            {
                throw ItopFailure.Thrown($"There is no service available for version '{version}'", ItopFailure.UnsupportedVersion);
            }

            var data = document.RootElement;
            var operation = Mandatory(data, "operation").ToString();
            var context = new Call(data, store, dates, options.Value);
            var isAttachment = data.TryGetProperty("class", out var named) && named.ValueKind == JsonValueKind.String && named.GetString() == ItopAttachments.ClassName;
            body = operation switch
            {
                "list_operations" => ListOperations(version),
                "core/create" when isAttachment => CreateAttachment(context),
                "core/get" when isAttachment => ItopAttachments.Get(data, store, dates),
                "core/create" => Create(context),
                "core/get" => Get(context),
                "core/update" => Update(context),
                "core/apply_stimulus" => ApplyStimulus(context),
                _ when Operations.Any(known => known.Verb == operation) => throw ItopFailure.Thrown($"{operation} is not emulated by the sandbox"),
                _ => throw ItopFailure.Thrown($"Unknown verb '{operation}' in version '{version}'", ItopFailure.UnknownOperation),
            };
        }
        catch (ItopFailure failure)
        {
            body = failure.Body();
        }

        http.Response.Headers.AccessControlAllowOrigin = "*";
        return Results.Json(body, JsonSerializerOptions.Default);
    }

    private sealed record Call(JsonElement Data, ItopStore Store, ItopDates Dates, ItopSandboxOptions Options);

    private static Dictionary<string, object?> ListOperations(string version) => new()
    {
        ["code"] = 0,
        ["message"] = $"Operations: {Operations.Length}",
        ["version"] = version,
        ["operations"] = Operations.Select(operation => new Dictionary<string, string>
        {
            ["verb"] = operation.Verb,
            ["description"] = operation.Description,
            ["extension"] = "CoreServices",
        }).ToList(),
    };

    private static Dictionary<string, object?> Create(Call call)
    {
        var className = CheckClass(call.Data, call.Options);
        if (className == ItopClassNames.Ticket)
        {
            throw ItopFailure.Thrown("Ticket is an abstract class: create a UserRequest or an Incident");
        }

        Mandatory(call.Data, "comment");
        var fields = Mandatory(call.Data, "fields");
        var output = OutputFields(call.Data, className);
        var request = call.Store.Add(className, (id, refNumber, now) => ItopRequests.Create(className, id, refNumber, now, fields, ItopUsers.RestAccount, call.Options));
        return Result([(request, "created")], output, call.Dates, message: null);
    }

    private static Dictionary<string, object?> CreateAttachment(Call call)
    {
        Mandatory(call.Data, "comment");
        return ItopAttachments.Create(call.Data, call.Store, call.Dates, call.Options);
    }

    private static Dictionary<string, object?> Get(Call call)
    {
        var className = CheckClass(call.Data, call.Options);
        var key = Mandatory(call.Data, "key");
        var output = OutputFields(call.Data, className);
        var found = Find(call.Store, call.Dates, className, key);
        var limit = OptionalInteger(call.Data, "limit");
        var page = OptionalInteger(call.Data, "page");
        if (limit > 0)
        {
            found = [.. found.Skip(limit * Math.Max(0, page - 1)).Take(limit)];
        }

        return Result([.. found.Select(request => (request, ""))], output, call.Dates, $"Found: {found.Count}");
    }

    private static Dictionary<string, object?> Update(Call call)
    {
        var className = CheckClass(call.Data, call.Options);
        Mandatory(call.Data, "comment");
        var key = Mandatory(call.Data, "key");
        var fields = Mandatory(call.Data, "fields");
        var output = OutputFields(call.Data, className);
        var id = FindOne(call.Store, call.Dates, className, key).Id;
        var updated = call.Store.Update(id, (request, now) => ItopRequests.Apply(request, fields, now, ItopUsers.RestAccount, call.Options))
            ?? throw ItopFailure.Thrown($"Invalid object {className}::{id}");
        return Result([(updated, "updated")], output, call.Dates, message: null);
    }

    private static Dictionary<string, object?> ApplyStimulus(Call call)
    {
        var className = CheckClass(call.Data, call.Options);
        Mandatory(call.Data, "comment");
        var key = Mandatory(call.Data, "key");
        var fields = Mandatory(call.Data, "fields");
        var stimulus = Mandatory(call.Data, "stimulus").ToString();
        var output = OutputFields(call.Data, className);
        var id = FindOne(call.Store, call.Dates, className, key).Id;
        var updated = call.Store.Update(id, (request, now) =>
                ItopRequests.ApplyStimulus(ItopRequests.Apply(request, fields, now, ItopUsers.RestAccount, call.Options), stimulus, now, ItopUsers.RestAccount))
            ?? throw ItopFailure.Thrown($"Invalid object {className}::{id}");
        return Result([(updated, "updated")], output, call.Dates, message: null);
    }

    /// <summary>
    /// <c>{"objects": {"Incident::12": {code, message, class, key, fields}}, "code": 0, "message": …}</c>,
    /// each object under its own class (a search on Ticket too); <c>"objects": null</c> when there is
    /// none, as PHP encodes an array never filled.
    /// </summary>
    private static Dictionary<string, object?> Result(
        IReadOnlyList<(ItopRequestRecord Request, string Message)> objects, IReadOnlyList<string> output, ItopDates dates, string? message) => new()
    {
        ["objects"] = objects.Count == 0 ? null : objects.ToDictionary(
            result => $"{result.Request.Class}::{result.Request.Id}",
            result => new Dictionary<string, object?>
            {
                ["code"] = 0,
                ["message"] = result.Message,
                ["class"] = result.Request.Class,
                ["key"] = ItopObjects.Key(result.Request.Id),
                ["fields"] = ItopObjects.Fields(result.Request, dates, output),
            }),
        ["code"] = 0,
        ["message"] = message,
    };

    /// <summary>Whether <paramref name="request"/> is of <paramref name="className"/> (Ticket: any).</summary>
    private static bool IsOf(ItopRequestRecord request, string className) =>
        className == ItopClassNames.Ticket || request.Class == className;

    /// <summary>The tickets of <paramref name="className"/> a key designates: an id, an OQL query, or criteria (attribute = value).</summary>
    private static List<ItopRequestRecord> Find(ItopStore store, ItopDates dates, string className, JsonElement key)
    {
        switch (key.ValueKind)
        {
            case JsonValueKind.Number:
            case JsonValueKind.String when int.TryParse(key.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out _):
                var id = int.Parse(key.ValueKind == JsonValueKind.Number ? key.GetRawText() : key.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);
                return store.Find(id) is { } request && IsOf(request, className) ? [request] : [];
            case JsonValueKind.String:
                ItopOql query;
                try
                {
                    query = ItopOql.Parse(key.GetString()!);
                }
                catch (FormatException ex)
                {
                    throw ItopFailure.Thrown($"Query failed to execute (query: {key.GetString()}, exception_message: {ex.Message})");
                }

                if (query.ClassName != className)
                {
                    throw ItopFailure.Thrown($"Wrong class for the key: the query selects {query.ClassName}, the call names {className}");
                }

                return [.. store.All().Where(request => IsOf(request, className) && query.Matches(code => Text(ItopObjects.Value(request, dates, code))))];
            case JsonValueKind.Object:
                var criteria = key.EnumerateObject().Select(criterion => (criterion.Name, Value: criterion.Value.ValueKind == JsonValueKind.String ? criterion.Value.GetString() : criterion.Value.GetRawText())).ToList();
                foreach (var (name, _) in criteria.Where(criterion => !ItopObjects.IsAttribute(className, criterion.Name)))
                {
                    throw ItopFailure.Thrown($"{name}: Unknown attribute");
                }

                return [.. store.All().Where(request => IsOf(request, className) && criteria.TrueForAll(criterion =>
                    string.Equals(Text(ItopObjects.Value(request, dates, criterion.Name)), criterion.Value, StringComparison.OrdinalIgnoreCase)))];
            default:
                throw ItopFailure.Thrown("Wrong format for key");
        }
    }

    /// <summary>The one request a key designates for a write, with iTop's messages when there is none or several.</summary>
    private static ItopRequestRecord FindOne(ItopStore store, ItopDates dates, string className, JsonElement key)
    {
        var found = Find(store, dates, className, key);
        var isId = key.ValueKind == JsonValueKind.Number
            || (key.ValueKind == JsonValueKind.String && int.TryParse(key.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out _));
        return found.Count switch
        {
            1 => found[0],
            0 when isId => throw ItopFailure.Thrown($"Invalid object {className}::{Text(key)}"),
            0 when key.ValueKind == JsonValueKind.String => throw ItopFailure.Thrown($"No item found for query: {key.GetString()}"),
            0 => throw ItopFailure.Thrown($"No item found with criteria: {key.GetRawText()}"),
            _ when key.ValueKind == JsonValueKind.String => throw ItopFailure.Thrown($"Several items found ({found.Count}) for query: {key.GetString()}"),
            _ => throw ItopFailure.Thrown($"Several items found ({found.Count}) with criteria: {key.GetRawText()}"),
        };
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string text => text,
        JsonElement element => element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary><c>output_fields</c>: <c>*</c> (the default) or <c>*+</c> for every attribute, else a comma-separated list.</summary>
    private static IReadOnlyList<string> OutputFields(JsonElement data, string className)
    {
        var given = data.TryGetProperty("output_fields", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "*";
        if (given is "*" or "*+")
        {
            return ItopObjects.AttributesOf(className);
        }

        var codes = given.Split(',', StringSplitOptions.TrimEntries);
        foreach (var code in codes.Where(code => !ItopObjects.IsAttribute(className, code)))
        {
            throw ItopFailure.Thrown($"output_fields: invalid attribute code '{code}'");
        }

        return codes;
    }

    /// <summary>The class the call names: UserRequest, Incident (ITIL only) or Ticket; iTop's message otherwise (its stray quote included).</summary>
    private static string CheckClass(JsonElement data, ItopSandboxOptions options)
    {
        var className = Mandatory(data, "class").ToString();
        var known = className is ItopClassNames.UserRequest or ItopClassNames.Ticket || (className == ItopClassNames.Incident && options.IsItil);
        return known ? className : throw ItopFailure.Thrown($"class: '{className}' is not a valid class'");
    }

    private static JsonElement Mandatory(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw ItopFailure.Thrown($"Missing parameter '{name}'");

    private static int OptionalInteger(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && int.TryParse(Text(value), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;

    private static JsonDocument ParseJson(string json)
    {
        try
        {
            var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind is JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
            // Reported below, as iTop does when json_decode fails.
        }

        throw ItopFailure.Thrown("Parameter json_data is not a valid JSON structure", ItopFailure.InvalidJson);
    }

    /// <summary>iTop's form login for REST: both fields present, the password right, the account allowed to use REST.</summary>
    private static void Authenticate(IReadOnlyDictionary<string, string> parameters, ItopSandboxOptions options)
    {
        var user = parameters.GetValueOrDefault("auth_user");
        if (string.IsNullOrEmpty(user))
        {
            throw ItopFailure.Thrown("Missing parameter 'auth_user'", ItopFailure.MissingAuthUser);
        }

        var password = parameters.GetValueOrDefault("auth_pwd");
        if (password is null)
        {
            throw ItopFailure.Thrown("Missing parameter 'auth_pwd'", ItopFailure.MissingAuthPassword);
        }

        if (!FixedTimeEquals(user, options.AuthUser) | !FixedTimeEquals(password, options.AuthPassword))
        {
            throw ItopFailure.Thrown("Invalid login", ItopFailure.Unauthorized);
        }
    }

    /// <summary>Query string and form fields; a form field wins, as PHP's $_REQUEST has it.</summary>
    private static async Task<Dictionary<string, string>> ReadParametersAsync(HttpContext http)
    {
        var parameters = http.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            foreach (var (name, value) in form)
            {
                parameters[name] = value.ToString();
            }
        }

        return parameters;
    }

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
