using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>
/// A GLPI REST API played by WireMock, answering as the real GLPI 10.0.11 does (peers/README.md, and
/// the answers captured from it in <c>RealGlpi/</c>): no <c>externalid</c> (its search option absent,
/// <c>searchText[externalid]</c> an empty HTML page with 200), text returned entity-encoded, search
/// results without <c>data</c> when empty, documents renamed when linked on upload.
/// </summary>
internal sealed class FakeGlpi : IDisposable
{
    /// <summary>Priority of the answers every test gets unless it says otherwise (WireMock: lower wins).</summary>
    private const int DefaultsPriority = 1000;

    public const string AppToken = "test-app-token";
    public const string UserToken = "test-user-token";
    public const string ApiPath = "/glpi/apirest.php";

    public FakeGlpi() => AnswersAsGlpi10();

    public WireMockServer Server { get; } = WireMockServer.Start();

    public string ApiUrl => Server.Url + ApiPath;

    public void Reset()
    {
        Server.Reset();
        AnswersAsGlpi10();
    }

    /// <summary>A captured answer of the real GLPI 10.0.11 (<c>RealGlpi/{name}</c>).</summary>
    public static string RealAnswer(string name) =>
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "RealGlpi", name));

    /// <summary>
    /// What GLPI 10 answers to calls a test did not prepare: Ticket's search options (no externalid),
    /// no user found by e-mail, no ticket found by reference, no document on a ticket, and
    /// <c>GET /Ticket?searchText[externalid]=…</c> as a 200 with an empty HTML body.
    /// </summary>
    private void AnswersAsGlpi10()
    {
        Server.Given(Request.Create().WithPath(ApiPath + "/listSearchOptions/Ticket").UsingGet()).AtPriority(DefaultsPriority)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=UTF-8")
                .WithBody(RealAnswerOrEmpty("listSearchOptions-Ticket.json")));
        Server.Given(Request.Create().WithPath(ApiPath + "/search/User").UsingGet()).AtPriority(DefaultsPriority)
            .RespondWith(Json(200, EmptySearch()));
        Server.Given(Request.Create().WithPath(ApiPath + "/search/Ticket").UsingGet()).AtPriority(DefaultsPriority)
            .RespondWith(Json(200, EmptySearch()));
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher(ApiPath + "/Ticket/*/Document_Item")).UsingGet()).AtPriority(DefaultsPriority)
            .RespondWith(Json(200, new JsonArray()));
        Server.Given(Request.Create().WithPath(ApiPath + "/Ticket").UsingGet()).AtPriority(DefaultsPriority)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html; charset=UTF-8").WithBody(""));
    }

    /// <summary>The static constructor of the fixture runs before any test context exists.</summary>
    private static string RealAnswerOrEmpty(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "RealGlpi", name);
        return File.Exists(path) ? File.ReadAllText(path) : "{}";
    }

    /// <summary>GLPI's search answer when nothing matched: no <c>data</c>, no Content-Range header.</summary>
    public static JsonObject EmptySearch() => new()
    {
        ["totalcount"] = 0,
        ["count"] = 0,
        ["sort"] = new JsonArray("1"),
        ["order"] = new JsonArray("ASC"),
        ["content-range"] = "0--1/0",
    };

    /// <summary>Each initSession returns the next token of <paramref name="sessionTokens"/>, then keeps the last.</summary>
    public void AcceptsLogin(params string[] sessionTokens)
    {
        var request = Request.Create().WithPath(ApiPath + "/initSession").UsingGet()
            .WithHeader("App-Token", AppToken)
            .WithHeader("Authorization", "user_token " + UserToken);
        if (sessionTokens.Length == 1)
        {
            Server.Given(request).RespondWith(Json(200, new JsonObject { ["session_token"] = sessionTokens[0] }));
            return;
        }

        for (var i = 0; i < sessionTokens.Length; i++)
        {
            var mapping = Server.Given(request).InScenario("login");
            if (i > 0)
            {
                mapping = mapping.WhenStateIs($"session {i}");
            }

            if (i < sessionTokens.Length - 1)
            {
                mapping = mapping.WillSetStateTo($"session {i + 1}");
            }

            mapping.RespondWith(Json(200, new JsonObject { ["session_token"] = sessionTokens[i] }));
        }
    }

    public void RefusesLogin(int status, string code, string message) =>
        Server.Given(Request.Create().WithPath(ApiPath + "/initSession").UsingGet())
            .RespondWith(Error(status, code, message));

    /// <summary>Any call carrying <paramref name="sessionToken"/> gets 401 ERROR_SESSION_TOKEN_INVALID.</summary>
    public void ExpiresSession(string sessionToken) =>
        Server.Given(Request.Create().WithPath(ApiPath + "/*").WithHeader("Session-Token", sessionToken))
            .AtPriority(-1)
            .RespondWith(Error(401, "ERROR_SESSION_TOKEN_INVALID", "session_token seems invalid"));

    public void CreatesTicket(int id) =>
        Server.Given(Request.Create().WithPath(ApiPath + "/Ticket").UsingPost())
            .RespondWith(Json(201, new JsonObject { ["id"] = id, ["message"] = "" })
                .WithHeader("Location", $"{ApiUrl}/Ticket/{id}"));

    /// <summary>The first POST /Ticket fails with <paramref name="status"/>, the next ones create ticket <paramref name="id"/>.</summary>
    public void FailsThenCreatesTicket(int status, int id)
    {
        Server.Given(Request.Create().WithPath(ApiPath + "/Ticket").UsingPost()).InScenario("create")
            .WillSetStateTo("failed once")
            .RespondWith(Error(status, "ERROR", "Internal Server Error"));
        Server.Given(Request.Create().WithPath(ApiPath + "/Ticket").UsingPost()).InScenario("create").WhenStateIs("failed once")
            .RespondWith(Json(201, new JsonObject { ["id"] = id, ["message"] = "" }));
    }

    /// <summary>
    /// The first POST /Ticket is turned away by a rate limiter in front of GLPI (429, an HTML page,
    /// <c>Retry-After: <paramref name="retryAfterSeconds"/></c>); the next ones create ticket <paramref name="id"/>.
    /// </summary>
    public void ThrottlesThenCreatesTicket(int retryAfterSeconds, int id)
    {
        Server.Given(Request.Create().WithPath(ApiPath + "/Ticket").UsingPost()).InScenario("create")
            .WillSetStateTo("throttled once")
            .RespondWith(Response.Create().WithStatusCode(429)
                .WithHeader("Retry-After", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithHeader("Content-Type", "text/html")
                .WithBody("<html><body><h1>429 Too Many Requests</h1></body></html>"));
        Server.Given(Request.Create().WithPath(ApiPath + "/Ticket").UsingPost()).InScenario("create").WhenStateIs("throttled once")
            .RespondWith(Json(201, new JsonObject { ["id"] = id, ["message"] = "" }));
    }

    /// <summary>GLPI's answer to a creation, for a response callback.</summary>
    public static WireMock.ResponseMessage Created(int id) => new()
    {
        StatusCode = 201,
        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json; charset=UTF-8") },
        BodyData = new WireMock.Util.BodyData
        {
            BodyAsString = new JsonObject { ["id"] = id, ["message"] = "" }.ToJsonString(),
            DetectedBodyType = WireMock.Types.BodyType.String,
        },
    };

    /// <summary>The HTTP status WireMock answered a logged request with.</summary>
    public static int Status(ILogEntry entry) => Convert.ToInt32(entry.ResponseMessage.StatusCode, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>POST /Ticket/{id}/ITILFollowup creates a follow-up, numbered from <paramref name="firstId"/> on.</summary>
    public void AcceptsFollowups(int firstId = 1)
    {
        var next = firstId - 1;
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher(ApiPath + "/Ticket/*/ITILFollowup")).UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => new WireMock.ResponseMessage
            {
                StatusCode = 201,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json; charset=UTF-8") },
                BodyData = new WireMock.Util.BodyData
                {
                    BodyAsString = new JsonObject { ["id"] = Interlocked.Increment(ref next), ["message"] = "" }.ToJsonString(),
                    DetectedBodyType = WireMock.Types.BodyType.String,
                },
            }));
    }

    /// <summary>getFullSession says the API account is user <paramref name="apiUserId"/>; User/5 is technician Marc Durand.</summary>
    public void KnowsUsers(int apiUserId = 7)
    {
        Server.Given(Request.Create().WithPath(ApiPath + "/getFullSession").UsingGet())
            .RespondWith(Json(200, new JsonObject { ["session"] = new JsonObject { ["glpiID"] = apiUserId, ["glpiname"] = "tickethub" } }));
        Server.Given(Request.Create().WithPath(ApiPath + "/User/5").UsingGet())
            .RespondWith(Json(200, new JsonObject { ["id"] = 5, ["name"] = "mdurand", ["firstname"] = "Marc", ["realname"] = "Durand" }));
    }

    /// <summary>
    /// search/Ticket answers page by page: each page is the rows of one <c>range</c>, with 206 and
    /// <c>Content-Range</c> as GLPI sends them whenever the range holds fewer rows than the total,
    /// and GLPI's clock in the <c>Date</c> header when <paramref name="serverTime"/> is given.
    /// </summary>
    public void SearchFinds(int pageSize, params JsonObject[] rows) => SearchFinds(pageSize, null, rows);

    public void SearchFinds(int pageSize, DateTimeOffset? serverTime, params JsonObject[] rows)
    {
        if (rows.Length == 0)
        {
            Server.Given(Request.Create().WithPath(ApiPath + "/search/Ticket").UsingGet())
                .RespondWith(Json(200, EmptySearch()));
            return;
        }

        for (var start = 0; start < rows.Length; start += pageSize)
        {
            var page = rows.Skip(start).Take(pageSize).Select(row => (JsonNode)row.DeepClone()).ToArray();
            var range = $"{start}-{start + page.Length - 1}/{rows.Length}";
            var body = new JsonObject
            {
                ["totalcount"] = rows.Length,
                ["count"] = page.Length,
                ["data"] = new JsonArray(page),
                ["content-range"] = range,
            };
            var response = Json(page.Length < rows.Length ? 206 : 200, body).WithHeader("Content-Range", range);
            if (serverTime is { } now)
            {
                response = response.WithHeader("Date", now.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }

            Server.Given(Request.Create().WithPath(ApiPath + "/search/Ticket").UsingGet().WithParam("range", $"{start}-{start + pageSize - 1}"))
                .RespondWith(response);
        }
    }

    /// <summary>A row of search/Ticket: 1 title, 2 id, 12 status, 19 date_mod, 27 follow-up count (GLPI 10: no externalid).</summary>
    public static JsonObject Row(int id, int status, string dateMod, int followups = 0) => new()
    {
        ["1"] = "Imprimante de la salle 12 en panne",
        ["2"] = id,
        ["12"] = status,
        ["19"] = dateMod,
        ["27"] = followups,
    };

    /// <summary>GET /Ticket/{ticketId}/ITILFollowup answers <paramref name="followups"/>.</summary>
    public void HasFollowups(int ticketId, params JsonObject[] followups) =>
        Server.Given(Request.Create().WithPath($"{ApiPath}/Ticket/{ticketId}/ITILFollowup").UsingGet())
            .RespondWith(Json(200, new JsonArray([.. followups.Select(followup => (JsonNode)followup)])));

    public static JsonObject Followup(int id, int ticketId, int userId, string content, string date, bool isPrivate = false) => new()
    {
        ["id"] = id,
        ["itemtype"] = "Ticket",
        ["items_id"] = ticketId,
        ["date"] = date,
        ["users_id"] = userId,
        ["content"] = content,
        ["is_private"] = isPrivate ? 1 : 0,
    };

    /// <summary>GET /Ticket/{ticketId}/ITILSolution answers <paramref name="solutions"/>.</summary>
    public void HasSolutions(int ticketId, params JsonObject[] solutions) =>
        Server.Given(Request.Create().WithPath($"{ApiPath}/Ticket/{ticketId}/ITILSolution").UsingGet())
            .RespondWith(Json(200, new JsonArray([.. solutions.Select(solution => (JsonNode)solution)])));

    public static JsonObject Solution(int id, int ticketId, int userId, string content, string date) => new()
    {
        ["id"] = id,
        ["itemtype"] = "Ticket",
        ["items_id"] = ticketId,
        ["content"] = content,
        ["users_id"] = userId,
        ["status"] = 2,
        ["date_creation"] = date,
    };

    public void RefusesTicket(int status, string code, string message) =>
        Server.Given(Request.Create().WithPath(ApiPath + "/Ticket").UsingPost())
            .RespondWith(Error(status, code, message));

    /// <summary>GET /Ticket/{id} answers the ticket, with GLPI status <paramref name="status"/> (1 new … 5 solved, 6 closed).</summary>
    public void HasTicket(int id, string reference, int status = 1)
    {
        var ticket = Ticket(id, reference);
        ticket["status"] = status;
        Server.Given(Request.Create().WithPath($"{ApiPath}/Ticket/{id}").UsingGet())
            .RespondWith(Json(200, ticket));
    }

    /// <summary>
    /// The POSTs of solutions to ticket <paramref name="id"/> get <paramref name="answers"/> in turn
    /// (the last one again after), as GLPI's 201 <c>{"id": …}</c> or its refusal.
    /// </summary>
    public void AnswersSolutionsWith(int id, params IResponseBuilder[] answers)
    {
        var request = Request.Create().WithPath($"{ApiPath}/Ticket/{id}/ITILSolution").UsingPost();
        if (answers.Length == 1)
        {
            // WireMock fails a scenario of one step that never sets a state.
            Server.Given(request).RespondWith(answers[0]);
            return;
        }

        for (var i = 0; i < answers.Length; i++)
        {
            var mapping = Server.Given(request).InScenario($"solutions of {id}");
            if (i > 0)
            {
                mapping = mapping.WhenStateIs($"answered {i}");
            }

            if (i < answers.Length - 1)
            {
                mapping = mapping.WillSetStateTo($"answered {i + 1}");
            }

            mapping.RespondWith(answers[i]);
        }
    }

    /// <summary>
    /// search/Ticket, looking for a reference in titles and descriptions, finds these tickets (all of
    /// whose title and description carry their reference, as the hub writes them), on one page.
    /// </summary>
    public void ListsTickets(params (int Id, string Reference)[] tickets) => ListsTicketsOpenedAt(DateTimeOffset.UtcNow, tickets);

    /// <summary><see cref="ListsTickets"/>, the tickets opened at <paramref name="opened"/> (GLPI's date text, read as UTC).</summary>
    public void ListsTicketsOpenedAt(DateTimeOffset opened, params (int Id, string Reference)[] tickets) =>
        Server.Given(Request.Create().WithPath(ApiPath + "/search/Ticket").UsingGet())
            .RespondWith(tickets.Length == 0 ? Json(200, EmptySearch()) : Json(200, new JsonObject
            {
                ["totalcount"] = tickets.Length,
                ["count"] = tickets.Length,
                ["sort"] = new JsonArray("2"),
                ["order"] = new JsonArray("ASC"),
                ["data"] = new JsonArray([.. tickets.Select(ticket => (JsonNode)new JsonObject
                {
                    ["2"] = ticket.Id,
                    ["1"] = $"[{ticket.Reference}] Imprimante de la salle 12 en panne",
                    ["80"] = "Entité racine &#62; Collège Jean Moulin",
                    ["21"] = Encoded($"<p>Demande transmise par TicketHub, référence <strong>{ticket.Reference}</strong>.</p>"),
                    ["15"] = opened.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                })]),
                ["content-range"] = $"0-{tickets.Length - 1}/{tickets.Length}",
            }).WithHeader("Content-Range", $"0-{tickets.Length - 1}/{tickets.Length}"));

    /// <summary>HTML as GLPI 10 returns it: encoded once more with numeric entities.</summary>
    public static string Encoded(string html) => System.Text.RegularExpressions.Regex.Replace(
        html, "[&<>\"']", match => match.Value switch
        {
            "&" => "&#38;",
            "<" => "&#60;",
            ">" => "&#62;",
            "\"" => "&#34;",
            _ => "&#39;",
        });

    /// <summary>POST /Document uploads a document and links it, numbered from <paramref name="firstId"/> on, as apirest.md shows.</summary>
    public void AcceptsDocuments(int firstId = 1)
    {
        var next = firstId - 1;
        Server.Given(Request.Create().WithPath(ApiPath + "/Document").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => DocumentCreated(Interlocked.Increment(ref next))));
    }

    /// <summary>The first POST /Document gets <paramref name="first"/>, the next ones create documents from <paramref name="id"/> on.</summary>
    public void AnswersFirstDocumentWith(IResponseBuilder first, int id)
    {
        var next = id - 1;
        Server.Given(Request.Create().WithPath(ApiPath + "/Document").UsingPost()).InScenario("document").WillSetStateTo("answered once")
            .RespondWith(first);
        Server.Given(Request.Create().WithPath(ApiPath + "/Document").UsingPost()).InScenario("document").WhenStateIs("answered once")
            .RespondWith(Response.Create().WithCallback(_ => DocumentCreated(Interlocked.Increment(ref next))));
    }

    /// <summary>
    /// The ticket's documents as GLPI 10 holds them: linked to it (<c>Ticket/{id}/Document_Item</c>),
    /// renamed "Document : Ticket - …", with the uploaded file's name and SHA-1.
    /// </summary>
    public void HasDocuments(int ticketId, params (int Id, string FileName, string Sha1)[] documents)
    {
        Server.Given(Request.Create().WithPath($"{ApiPath}/Ticket/{ticketId}/Document_Item").UsingGet())
            .RespondWith(Json(200, new JsonArray([.. documents.Select((document, i) => (JsonNode)new JsonObject
            {
                ["id"] = 100 + i,
                ["documents_id"] = document.Id,
                ["items_id"] = ticketId,
                ["itemtype"] = "Ticket",
                ["entities_id"] = 12,
            })])));
        foreach (var document in documents)
        {
            Server.Given(Request.Create().WithPath($"{ApiPath}/Document/{document.Id}").UsingGet())
                .RespondWith(Json(200, new JsonObject
                {
                    ["id"] = document.Id,
                    ["entities_id"] = 12,
                    ["name"] = "Document : Ticket - [TH-2026-000042] Imprimante de la salle 12 en panne",
                    ["filename"] = document.FileName,
                    ["mime"] = "image/jpeg",
                    ["sha1sum"] = document.Sha1,
                }));
        }
    }

    /// <summary>POST /Document_Item links a document.</summary>
    public void AcceptsDocumentLinks() =>
        Server.Given(Request.Create().WithPath(ApiPath + "/Document_Item").UsingPost())
            .RespondWith(Json(201, new JsonObject { ["id"] = 500, ["message"] = "" }));

    private static WireMock.ResponseMessage DocumentCreated(int id) => new()
    {
        StatusCode = 201,
        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json; charset=UTF-8") },
        BodyData = new WireMock.Util.BodyData
        {
            BodyAsString = new JsonObject { ["id"] = id, ["message"] = "Document move succeeded.", ["upload_result"] = new JsonObject() }.ToJsonString(),
            DetectedBodyType = WireMock.Types.BodyType.String,
        },
    };

    /// <summary>The parts of a logged multipart request: each part's headers and bytes, in order.</summary>
    public static async Task<List<(Dictionary<string, string> Headers, byte[] Body)>> PartsAsync(ILogEntry entry)
    {
        var type = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(Header(entry, "Content-Type"));
        var boundary = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(type.Boundary).Value!;
        var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, new MemoryStream(entry.RequestMessage.BodyAsBytes!));
        var parts = new List<(Dictionary<string, string>, byte[])>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            using var body = new MemoryStream();
            await section.Body.CopyToAsync(body);
            parts.Add((section.Headers!.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
        }

        return parts;
    }

    public IReadOnlyList<ILogEntry> Requests(string method, string path) =>
        [.. Server.LogEntries.Where(entry =>
            entry.RequestMessage.Method == method && entry.RequestMessage.Path == ApiPath + path)];

    public static string? Header(ILogEntry entry, string name) =>
        entry.RequestMessage.Headers?.FirstOrDefault(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>A query parameter, its name decoded as PHP does (WireMock keeps <c>%5B</c> in names).</summary>
    public static string? Query(ILogEntry entry, string name) =>
        entry.RequestMessage.Query?.FirstOrDefault(parameter => Uri.UnescapeDataString(parameter.Key) == name).Value?.FirstOrDefault();

    /// <summary>A ticket as GLPI 10 returns it: no externalid, the reference in the title, the description encoded.</summary>
    public static JsonObject Ticket(int id, string reference) => new()
    {
        ["id"] = id,
        ["entities_id"] = 12,
        ["name"] = $"[{reference}] Imprimante de la salle 12 en panne",
        ["content"] = Encoded($"<p>Demande transmise par TicketHub, référence <strong>{reference}</strong>.</p>"),
        ["status"] = 1,
        ["urgency"] = 4,
        ["type"] = 1,
        ["itilcategories_id"] = 7,
        ["date"] = "2026-11-20 10:15:03",
        ["date_mod"] = "2026-11-20 10:15:03",
    };

    public static IResponseBuilder Json(int status, JsonNode body) =>
        Response.Create().WithStatusCode(status)
            .WithHeader("Content-Type", "application/json; charset=UTF-8")
            .WithBody(body.ToJsonString());

    public static IResponseBuilder Error(int status, string code, string message) =>
        Json(status, new JsonArray(code, message));

    public void Dispose() => Server.Dispose();
}

/// <summary>One WireMock server for the whole assembly; each test resets it.</summary>
[SetUpFixture]
public sealed class GlpiServers
{
    internal static FakeGlpi Glpi { get; private set; } = null!;

    /// <summary>Where the connector reads the tickets' files.</summary>
    internal static FakeIntake Intake { get; private set; } = null!;

    [OneTimeSetUp]
    public void Start()
    {
        Glpi = new FakeGlpi();
        Intake = new FakeIntake();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        Glpi.Dispose();
        Intake.Dispose();
    }
}
