using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>A GLPI REST API played by WireMock, with the answers documented in GLPI's apirest.md.</summary>
internal sealed class FakeGlpi : IDisposable
{
    public const string AppToken = "test-app-token";
    public const string UserToken = "test-user-token";
    public const string ApiPath = "/glpi/apirest.php";

    public WireMockServer Server { get; } = WireMockServer.Start();

    public string ApiUrl => Server.Url + ApiPath;

    public void Reset() => Server.Reset();

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

    /// <summary>POST /Ticket/{id}/ITILFollowup creates a follow-up.</summary>
    public void AcceptsFollowups() =>
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher(ApiPath + "/Ticket/*/ITILFollowup")).UsingPost())
            .RespondWith(Json(201, new JsonObject { ["id"] = 1, ["message"] = "" }));

    public void RefusesTicket(int status, string code, string message) =>
        Server.Given(Request.Create().WithPath(ApiPath + "/Ticket").UsingPost())
            .RespondWith(Error(status, code, message));

    public void HasTicket(int id, string externalId) =>
        Server.Given(Request.Create().WithPath($"{ApiPath}/Ticket/{id}").UsingGet())
            .RespondWith(Json(200, Ticket(id, externalId)));

    /// <summary>GET /Ticket?searchText[externalid]=… answers <paramref name="tickets"/> (id, externalid).</summary>
    public void ListsTickets(params (int Id, string ExternalId)[] tickets) =>
        Server.Given(Request.Create().WithPath(ApiPath + "/Ticket").UsingGet())
            .RespondWith(Json(200, new JsonArray([.. tickets.Select(ticket => (JsonNode)Ticket(ticket.Id, ticket.ExternalId))])));

    public IReadOnlyList<ILogEntry> Requests(string method, string path) =>
        [.. Server.LogEntries.Where(entry =>
            entry.RequestMessage.Method == method && entry.RequestMessage.Path == ApiPath + path)];

    public static string? Header(ILogEntry entry, string name) =>
        entry.RequestMessage.Headers?.FirstOrDefault(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>A query parameter, its name decoded as PHP does (WireMock keeps <c>%5B</c> in names).</summary>
    public static string? Query(ILogEntry entry, string name) =>
        entry.RequestMessage.Query?.FirstOrDefault(parameter => Uri.UnescapeDataString(parameter.Key) == name).Value?.FirstOrDefault();

    public static JsonObject Ticket(int id, string externalId) => new()
    {
        ["id"] = id,
        ["entities_id"] = 12,
        ["name"] = "Imprimante de la salle 12 en panne",
        ["status"] = 1,
        ["urgency"] = 4,
        ["type"] = 1,
        ["itilcategories_id"] = 7,
        ["externalid"] = externalId,
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

    [OneTimeSetUp]
    public void Start() => Glpi = new FakeGlpi();

    [OneTimeTearDown]
    public void Stop() => Glpi.Dispose();
}
