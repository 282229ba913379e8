using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// iTop's rest.php played by WireMock, answering as iTop 3.2 with the ITIL modules does: HTTP 200
/// with a <c>code</c>, objects keyed <c>"UserRequest::12"</c> or <c>"Incident::12"</c>,
/// <c>"objects": null</c> when nothing matched, a UserRequest with request_type <c>incident</c>
/// refused with code 100 (the real iTop's French message). Requests are told apart by the
/// <c>operation</c> and <c>class</c> of their <c>json_data</c>.
/// </summary>
internal sealed class FakeItop : IDisposable
{
    /// <summary>What the real iTop 3.2 (ITIL) answers a UserRequest with request_type incident (captured December 2026).</summary>
    public const string IncidentRequestTypeRefusal =
        "Error: Valeur de l'attribut incorrecte 'Type de Requête' (request_type) : Value not allowed [incident]: issues = {0=>Valeur de l'attribut incorrecte 'Type de Requête' (request_type) : Value not allowed [incident]}, class = UserRequest, id = -1";

    public const string AuthUser = "rest-tickethub";
    public const string AuthPassword = "s3cret-itop-password";
    public const string ApiPath = "/itop/webservices/rest.php";

    private readonly ConcurrentQueue<JsonObject> _searchAnswers = new();

    public FakeItop() => RefusesIncidentRequestType();

    public WireMockServer Server { get; } = WireMockServer.Start();

    public string ApiUrl => Server.Url + ApiPath;

    public void Reset()
    {
        Server.Reset();
        _searchAnswers.Clear();
        RefusesIncidentRequestType();
    }

    /// <summary>A POST to rest.php whose json_data names <paramref name="operation"/> on <paramref name="className"/>.</summary>
    public static IRequestBuilder Call(string operation, string className = "UserRequest") =>
        Request.Create().WithPath(ApiPath).UsingPost().WithBody((string? body) => OperationOf(body) == operation && ClassOf(body) == className);

    /// <summary>A POST to rest.php naming <paramref name="operation"/> on a ticket class: UserRequest, Incident or their parent Ticket.</summary>
    public static IRequestBuilder CallOnTickets(string operation) =>
        Request.Create().WithPath(ApiPath).UsingPost().WithBody((string? body) => OperationOf(body) == operation && ClassOf(body) is "UserRequest" or "Incident" or "Ticket");

    /// <summary>As iTop 3.2 with the ITIL modules, before any other answer: UserRequest's request_type is service_request only.</summary>
    private void RefusesIncidentRequestType() =>
        Server.Given(Request.Create().WithPath(ApiPath).UsingPost().WithBody((string? body) =>
                OperationOf(body) == "core/create" && ClassOf(body) == "UserRequest" && RequestTypeOf(body) == "incident"))
            .AtPriority(RefusalPriority)
            .RespondWith(Json(new JsonObject { ["code"] = 100, ["message"] = IncidentRequestTypeRefusal }));

    /// <summary>WireMock tries lower priorities first, and its mappings have 0 unless told: the refusal comes before any answer a test sets.</summary>
    public const int RefusalPriority = -10;

    public void Answers(string operation, JsonObject body) =>
        Server.Given(Call(operation)).RespondWith(Json(body));

    /// <summary>
    /// core/create of a UserRequest or an Incident answers ticket <paramref name="key"/> of the class
    /// asked for, new, its key and id as strings, as iTop 3.2 writes them right after an insert.
    /// </summary>
    public void CreatesRequest(int key, string lastUpdate = "2024-11-20 10:15:03") =>
        Server.Given(CallOnTickets("core/create")).RespondWith(JsonFrom(request =>
            CreatedAnswer(key, JsonData(request.Body!)["class"]!.GetValue<string>(), lastUpdate)));

    /// <summary>core/create's answer: ticket <paramref name="key"/> of <paramref name="className"/>, new.</summary>
    public static JsonObject CreatedAnswer(int key, string className = "UserRequest", string lastUpdate = "2024-11-20 10:15:03")
    {
        var id = key.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Objects("created", new JsonObject
        {
            ["id"] = id,
            ["ref"] = $"{(className == "Incident" ? "I" : "R")}-{key:000000}",
            ["status"] = "new",
            ["last_update"] = lastUpdate,
        }, key: id, className);
    }

    /// <summary>The first core/create fails with HTTP <paramref name="status"/>, the next ones create <paramref name="key"/>.</summary>
    public void FailsThenCreatesRequest(int status, int key)
    {
        Server.Given(Call("core/create")).InScenario("create").WillSetStateTo("failed once")
            .RespondWith(Response.Create().WithStatusCode(status).WithBody("<html><body>Internal Server Error</body></html>"));
        Server.Given(Call("core/create")).InScenario("create").WhenStateIs("failed once")
            .RespondWith(Json(CreatedAnswer(key)));
    }

    /// <summary>
    /// The first core/create is turned away by a rate limiter in front of iTop (429, an HTML page,
    /// <c>Retry-After: <paramref name="retryAfterSeconds"/></c>); the next ones create <paramref name="key"/>.
    /// </summary>
    public void ThrottlesThenCreatesRequest(int retryAfterSeconds, int key)
    {
        Server.Given(Call("core/create")).InScenario("create").WillSetStateTo("throttled once")
            .RespondWith(Response.Create().WithStatusCode(429)
                .WithHeader("Retry-After", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithHeader("Content-Type", "text/html")
                .WithBody("<html><body><h1>429 Too Many Requests</h1></body></html>"));
        Server.Given(Call("core/create")).InScenario("create").WhenStateIs("throttled once")
            .RespondWith(Json(CreatedAnswer(key)));
    }

    /// <summary>core/create's answer for request <paramref name="key"/>, for a response callback.</summary>
    public static ResponseMessage Created(int key) => new()
    {
        StatusCode = 200,
        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new WireMock.Util.BodyData
        {
            BodyAsString = CreatedAnswer(key).ToJsonString(),
            DetectedBodyType = WireMock.Types.BodyType.String,
        },
    };

    /// <summary>The HTTP status WireMock answered a logged request with.</summary>
    public static int Status(ILogEntry entry) => Convert.ToInt32(entry.ResponseMessage.StatusCode, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>iTop answers a non-zero code with HTTP 200, as rest.php does for an exception.</summary>
    public void Fails(string operation, int code, string message) =>
        Answers(operation, new JsonObject { ["code"] = code, ["message"] = message });

    /// <summary>core/get on any ticket class answers these tickets (id, description…), whatever the query.</summary>
    public void Finds(params JsonObject[] requests) =>
        Server.Given(CallOnTickets("core/get")).RespondWith(Json(Found(requests)));

    /// <summary>Each core/get takes the next of these answers; once they are used up, nothing is found.</summary>
    public void AnswersSearchesWith(params JsonObject[] answers)
    {
        foreach (var answer in answers)
        {
            _searchAnswers.Enqueue(answer);
        }

        Server.Given(CallOnTickets("core/get")).RespondWith(JsonFrom(_ =>
            _searchAnswers.TryDequeue(out var next) ? next : Found()));
    }

    /// <summary>core/update of a UserRequest or an Incident appends to the public log and answers the ticket with <paramref name="entries"/> plus the new one.</summary>
    public void AcceptsLogEntries(params JsonObject[] entries) =>
        Server.Given(CallOnTickets("core/update")).RespondWith(JsonFrom(request =>
        {
            var data = JsonData(request.Body!);
            var key = data["key"]!.GetValue<int>();
            var added = data["fields"]!["public_log"]!["add_item"]!;
            var log = new JsonArray([.. entries.Select(entry => entry.DeepClone())]);
            var message = added["message"]!.GetValue<string>();
            log.Add(added["format"]?.GetValue<string>() == "html"
                ? HtmlEntry("2024-11-20 11:30:00", "Compte REST TicketHub", "3", message)
                : Entry("2024-11-20 11:30:00", "Compte REST TicketHub", "3", message));
            return Objects("updated", new JsonObject
            {
                ["id"] = key.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["last_update"] = "2024-11-20 11:30:00",
                ["public_log"] = new JsonObject { ["entries"] = log },
            }, key: key.ToString(System.Globalization.CultureInfo.InvariantCulture), data["class"]!.GetValue<string>());
        }));

    /// <summary>core/create of an Attachment answers its key, numbered from <paramref name="firstKey"/> on, as iTop does right after an insert.</summary>
    public void CreatesAttachments(int firstKey = 1)
    {
        var next = firstKey - 1;
        Server.Given(Call("core/create", "Attachment")).RespondWith(JsonFrom(_ => AttachmentCreated(Interlocked.Increment(ref next))));
    }

    /// <summary>The first core/create of an Attachment gets <paramref name="first"/>, the next ones create from <paramref name="key"/> on.</summary>
    public void AnswersFirstAttachmentWith(IResponseBuilder first, int key)
    {
        var next = key - 1;
        Server.Given(Call("core/create", "Attachment")).InScenario("attachment").WillSetStateTo("answered once").RespondWith(first);
        Server.Given(Call("core/create", "Attachment")).InScenario("attachment").WhenStateIs("answered once")
            .RespondWith(JsonFrom(_ => AttachmentCreated(Interlocked.Increment(ref next))));
    }

    /// <summary>core/get of Attachments answers these (built with <see cref="Attachment"/>), whatever the query.</summary>
    public void HasAttachments(params (int Key, JsonObject Fields)[] attachments) =>
        Server.Given(Call("core/get", "Attachment")).RespondWith(Json(new JsonObject
        {
            ["objects"] = attachments.Length == 0 ? null : new JsonObject(attachments.Select(attachment => new KeyValuePair<string, JsonNode?>(
                $"Attachment::{attachment.Key}",
                new JsonObject
                {
                    ["code"] = 0,
                    ["message"] = "",
                    ["class"] = "Attachment",
                    ["key"] = attachment.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["fields"] = attachment.Fields,
                }))),
            ["code"] = 0,
            ["message"] = $"Found: {attachments.Length}",
        }));

    /// <summary>An Attachment's fields as core/get writes them: ids as strings, the file in base64.</summary>
    public static JsonObject Attachment(int requestKey, string fileName, string mimeType, byte[] content) => new()
    {
        ["item_class"] = "UserRequest",
        ["item_id"] = requestKey.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["contents"] = new JsonObject
        {
            ["data"] = Convert.ToBase64String(content),
            ["mimetype"] = mimeType,
            ["filename"] = fileName,
            ["downloads_count"] = "0",
        },
    };

    private static JsonObject AttachmentCreated(int key) => new()
    {
        ["objects"] = new JsonObject
        {
            [$"Attachment::{key}"] = new JsonObject
            {
                ["code"] = 0,
                ["message"] = "created",
                ["class"] = "Attachment",
                ["key"] = key,
                ["fields"] = new JsonObject { ["id"] = key },
            },
        },
        ["code"] = 0,
        ["message"] = null,
    };

    /// <summary>The logged calls of <paramref name="operation"/> on <paramref name="className"/>, or on any ticket class (UserRequest, Incident, Ticket) when null.</summary>
    public IReadOnlyList<ILogEntry> Requests(string operation, string? className = null) =>
        [.. Server.LogEntries.Where(entry => entry.RequestMessage.Path == ApiPath
            && OperationOf(entry.RequestMessage.Body) == operation
            && (className is null ? ClassOf(entry.RequestMessage.Body) is "UserRequest" or "Incident" or "Ticket" : ClassOf(entry.RequestMessage.Body) == className))];

    /// <summary>The form fields of a logged request.</summary>
    public static Dictionary<string, string> Form(ILogEntry entry) => Form(entry.RequestMessage.Body ?? "");

    public static JsonNode JsonData(ILogEntry entry) => JsonData(entry.RequestMessage.Body!);

    /// <summary>The OQL key of a logged core/get.</summary>
    public static string Oql(ILogEntry entry) => Oql(entry.RequestMessage);

    /// <summary>The OQL key of a core/get, as a response callback sees it.</summary>
    public static string Oql(IRequestMessage request) => JsonData(request.Body!)["key"]!.GetValue<string>();

    /// <summary>
    /// <c>{"objects": {"UserRequest::k": {…}}, "code": 0, "message": "Found: n"}</c>, each under its
    /// <c>finalclass</c> when the fields name one; <c>"objects": null</c> for none.
    /// </summary>
    public static JsonObject Found(params JsonObject[] requests) => new()
    {
        ["objects"] = requests.Length == 0 ? null : new JsonObject(requests.Select(fields =>
        {
            var key = fields["id"]!.ToString();
            var className = fields["finalclass"]?.GetValue<string>() ?? "UserRequest";
            return new KeyValuePair<string, JsonNode?>($"{className}::{key}", ObjectResult("", fields, key, className));
        })),
        ["code"] = 0,
        ["message"] = $"Found: {requests.Length}",
    };

    /// <summary>A request as core/get writes it: ids as strings, dates in Paris time.</summary>
    public static JsonObject UserRequest(int key, string status = "new", string lastUpdate = "2024-11-20 10:15:03", string? description = null, params JsonObject[] log)
    {
        var fields = new JsonObject
        {
            ["id"] = key.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ref"] = $"R-{key:000000}",
            ["status"] = status,
            ["last_update"] = lastUpdate,
            ["solution"] = "",
            ["public_log"] = new JsonObject { ["entries"] = new JsonArray([.. log]) },
        };
        if (description is not null)
        {
            fields["description"] = description;
        }

        return fields;
    }

    /// <summary>An entry written in HTML: <c>message</c> is iTop's own text rendering of it, <c>message_html</c> the HTML.</summary>
    public static JsonObject HtmlEntry(string date, string author, string userId, string html) => new()
    {
        ["date"] = date,
        ["user_login"] = author,
        ["user_id"] = userId,
        ["message"] = TicketHub.Connectors.Shared.Text.ToolHtml.ToPlainText(html),
        ["message_html"] = html,
    };

    /// <summary>An entry written as text: <c>message_html</c> its lines joined by <c>&lt;br/&gt;</c>, encoded.</summary>
    public static JsonObject Entry(string date, string author, string userId, string message) => new()
    {
        ["date"] = date,
        ["user_login"] = author,
        ["user_id"] = userId,
        ["message"] = message,
        ["message_html"] = System.Net.WebUtility.HtmlEncode(message).Replace("\n", "<br/>", StringComparison.Ordinal),
    };

    public static JsonObject Objects(string message, JsonObject fields, JsonNode key, string className = "UserRequest") => new()
    {
        ["objects"] = new JsonObject { [$"{className}::{key}"] = ObjectResult(message, fields, key, className) },
        ["code"] = 0,
        ["message"] = null,
    };

    public static IResponseBuilder Json(JsonNode body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());

    public void Dispose() => Server.Dispose();

    private static JsonObject ObjectResult(string message, JsonObject fields, JsonNode key, string className = "UserRequest") => new()
    {
        ["code"] = 0,
        ["message"] = message,
        ["class"] = className,
        ["key"] = key.DeepClone(),
        ["fields"] = fields.DeepClone(),
    };

    /// <summary>An answer computed from each request.</summary>
    public static IResponseBuilder JsonFrom(Func<IRequestMessage, JsonNode> answer) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody(request => answer(request).ToJsonString());

    private static Dictionary<string, string> Form(string body) =>
        QueryHelpers.ParseQuery(body).ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);

    private static JsonNode JsonData(string body) => JsonNode.Parse(Form(body)["json_data"])!;

    private static string? OperationOf(string? body) => Member(body, "operation");

    private static string? RequestTypeOf(string? body)
    {
        try
        {
            return body is not null && Form(body).TryGetValue("json_data", out var json) ? JsonNode.Parse(json)?["fields"]?["request_type"]?.GetValue<string>() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The class a call is about; calls that name none (list_operations) count as UserRequest's.</summary>
    private static string? ClassOf(string? body) => Member(body, "class") ?? (OperationOf(body) is null ? null : "UserRequest");

    private static string? Member(string? body, string name)
    {
        try
        {
            return body is not null && Form(body).TryGetValue("json_data", out var json) ? JsonNode.Parse(json)?[name]?.GetValue<string>() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>One WireMock server for the whole assembly; each test resets it.</summary>
[SetUpFixture]
public sealed class ItopServers
{
    internal static FakeItop Itop { get; private set; } = null!;

    /// <summary>Where the connector reads the tickets' files.</summary>
    internal static FakeIntake Intake { get; private set; } = null!;

    [OneTimeSetUp]
    public void Start()
    {
        Itop = new FakeItop();
        Intake = new FakeIntake();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        Itop.Dispose();
        Intake.Dispose();
    }
}
