using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>A tool implementing the hub's contract (docs/api/outil-externe.openapi.yaml), played by WireMock.</summary>
internal sealed class FakeTool : IDisposable
{
    public const string Token = "s3cret-tool-token";

    public WireMockServer Server { get; } = WireMockServer.Start();

    public string ApiUrl => Server.Url + "/api";

    public void Reset() => Server.Reset();

    public static IRequestBuilder Create() => Request.Create().WithPath("/api/tickets").UsingPost();

    public static IRequestBuilder Lookup(string reference) =>
        Request.Create().WithPath("/api/tickets").UsingGet().WithParam("reference", reference);

    public static IRequestBuilder Changes() =>
        Request.Create().WithPath("/api/tickets").UsingGet().WithParam("updatedSince");

    public static IResponseBuilder Json(JsonNode body, int status = 200) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());

    public static IResponseBuilder Problem(int status, string detail) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/problem+json")
            .WithBody(new JsonObject { ["title"] = "Refus", ["status"] = status, ["detail"] = detail }.ToJsonString());

    public static JsonObject Ticket(string id, string reference, string status = "new", string updatedAt = "2024-11-20T09:15:05Z", params JsonObject[] messages) =>
        new()
        {
            ["id"] = id,
            ["reference"] = reference,
            ["status"] = status,
            ["url"] = $"https://tool.example/tickets/{id}",
            ["updatedAt"] = updatedAt,
            ["messages"] = new JsonArray([.. messages]),
        };

    public static JsonObject Message(string id, string body, string role = "technician", string createdAt = "2024-11-20T10:00:00Z", string? hubMessageId = null, bool isPublic = true) =>
        new()
        {
            ["id"] = id,
            ["body"] = body,
            ["authorName"] = role == "hub" ? "TicketHub" : "Technicien Rectorat",
            ["authorRole"] = role,
            ["public"] = isPublic,
            ["hubMessageId"] = hubMessageId,
            ["createdAt"] = createdAt,
        };

    public static JsonObject Page(string? next, params JsonObject[] items) =>
        new() { ["items"] = new JsonArray([.. items]), ["next"] = next };

    /// <summary>POST /tickets creates <paramref name="id"/>.</summary>
    public void Creates(string id, string reference) =>
        Server.Given(Create()).RespondWith(Json(Ticket(id, reference), 201));

    /// <summary>POST /tickets/<paramref name="ticketId"/>/messages adds the hub's note as message <paramref name="messageId"/>.</summary>
    public void AcceptsNotes(string ticketId, string messageId) =>
        Server.Given(Request.Create().WithPath($"/api/tickets/{ticketId}/messages").UsingPost())
            .RespondWith(Json(Message(messageId, "note", role: "hub"), 201));

    /// <summary>A lookup by reference finds nothing.</summary>
    public void FindsNothing(string reference) =>
        Server.Given(Lookup(reference)).RespondWith(Json(Page(null)));

    public IReadOnlyList<ILogEntry> Requests(string method, string path) =>
        [.. Server.LogEntries.Where(entry => entry.RequestMessage.Method == method && entry.RequestMessage.Path == path)];

    public IReadOnlyList<ILogEntry> Creations => Requests("POST", "/api/tickets");

    public IReadOnlyList<ILogEntry> Lookups =>
        [.. Requests("GET", "/api/tickets").Where(entry => entry.RequestMessage.Query?.ContainsKey("reference") == true)];

    public void Dispose() => Server.Dispose();
}
