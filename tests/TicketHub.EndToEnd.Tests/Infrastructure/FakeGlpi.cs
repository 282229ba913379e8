using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// GLPI 10's legacy REST API as WireMock.Net answers it: sessions, ticket creation with increasing
/// ids, and searches for changed tickets that list only what a test made a technician change
/// (<see cref="TechnicianChanges"/>; none by default), and document uploads (multipart
/// <c>POST /Document</c>, linked on upload) with increasing ids; a ticket has no document to find, a
/// link is accepted. As GLPI 10 does: no <c>externalid</c> among Ticket's search options, and
/// <c>searchText[externalid]</c> answered with an empty HTML page. Every request is kept so that
/// tests can count the creations and the uploads.
/// </summary>
internal sealed class FakeGlpi : IDisposable
{
    public const string AppToken = "e2e-app-token";
    public const string UserToken = "e2e-user-token";

    private static readonly TimeZoneInfo GlpiTimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private readonly ConcurrentDictionary<int, JsonObject> _changedTickets = new();
    private int _nextId = 100;
    private int _nextDocumentId = 500;

    public FakeGlpi()
    {
        Server = WireMockServer.Start();

        Server.Given(Request.Create().WithPath("/apirest.php/initSession").UsingGet()
                .WithHeader("App-Token", AppToken)
                .WithHeader("Authorization", $"user_token {UserToken}"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("{\"session_token\":\"e2e-session\"}"));

        Server.Given(Request.Create().WithPath("/apirest.php/killSession").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("[]"));

        Server.Given(Request.Create().WithPath("/apirest.php/Ticket", "/apirest.php/Ticket/").UsingPost()
                .WithHeader("Session-Token", "e2e-session")
                .WithHeader("App-Token", AppToken))
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                var id = Interlocked.Increment(ref _nextId);
                return new ResponseMessage
                {
                    StatusCode = 201,
                    Headers = new Dictionary<string, WireMockList<string>>
                    {
                        ["Content-Type"] = new("application/json"),
                        ["Location"] = new($"{Server!.Url}/apirest.php/Ticket/{id}"),
                    },
                    BodyData = new BodyData
                    {
                        DetectedBodyType = BodyType.String,
                        BodyAsString = string.Create(CultureInfo.InvariantCulture, $"{{\"id\":{id},\"message\":\"\"}}"),
                    },
                };
            }));

        Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/apirest.php/Ticket/*/ITILFollowup")).UsingPost()
                .WithHeader("Session-Token", "e2e-session"))
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody("{\"id\":1,\"message\":\"\"}"));

        Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/apirest.php/search/Ticket*")).UsingGet())
            .RespondWith(Response.Create().WithCallback(request => Json(200, SearchChanged(request))));

        // GLPI 10: a PHP fatal on the unknown column externalid, answered 200 with an empty HTML page.
        Server.Given(Request.Create().WithPath("/apirest.php/Ticket", "/apirest.php/Ticket/").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html; charset=UTF-8").WithBody(""));

        // Ticket's search options, without externalid (GLPI 10); no user has the requester's e-mail.
        Server.Given(Request.Create().WithPath("/apirest.php/listSearchOptions/Ticket").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"common":{"name":"Caractéristiques"},"1":{"table":"glpi_tickets","field":"name","name":"Titre"},"2":{"table":"glpi_tickets","field":"id","name":"ID"},"21":{"table":"glpi_tickets","field":"content","name":"Description"}}"""));
        Server.Given(Request.Create().WithPath("/apirest.php/search/User").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"totalcount":0,"count":0,"sort":["1"],"order":["ASC"],"content-range":"0--1/0"}"""));
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/apirest.php/Ticket/*/Document_Item")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("[]"));

        // Documents (apirest.md, "Upload a document file"): multipart uploadManifest + filename[0].
        Server.Given(Request.Create().WithPath("/apirest.php/Document", "/apirest.php/Document/").UsingPost()
                .WithHeader("Session-Token", "e2e-session")
                .WithHeader("App-Token", AppToken)
                .WithHeader("Content-Type", "multipart/form-data*"))
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                var id = Interlocked.Increment(ref _nextDocumentId);
                return new ResponseMessage
                {
                    StatusCode = 201,
                    Headers = new Dictionary<string, WireMockList<string>>
                    {
                        ["Content-Type"] = new("application/json"),
                        ["Location"] = new($"{Server!.Url}/apirest.php/Document/{id}"),
                    },
                    BodyData = new BodyData
                    {
                        DetectedBodyType = BodyType.String,
                        BodyAsString = string.Create(CultureInfo.InvariantCulture, $"{{\"id\":{id},\"message\":\"Document move succeeded.\",\"upload_result\":{{}}}}"),
                    },
                };
            }));

        Server.Given(Request.Create().WithPath("/apirest.php/Document", "/apirest.php/Document/").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("[]"));

        Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/apirest.php/Document/*/Document_Item")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("[]"));

        Server.Given(Request.Create().WithPath("/apirest.php/Document_Item", "/apirest.php/Document_Item/").UsingPost()
                .WithHeader("Session-Token", "e2e-session"))
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody("{\"id\":1,\"message\":\"\"}"));
    }

    public WireMockServer Server { get; }

    public string ApiUrl => $"{Server.Url}/apirest.php";

    /// <summary>The <c>input</c> of every <c>POST /Ticket</c> that carried this hub reference (at the start of its title).</summary>
    public IReadOnlyList<CreatedTicket> CreationsFor(string reference) =>
        Server.LogEntries
            .Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path.TrimEnd('/') == "/apirest.php/Ticket")
            .Select(e => new CreatedTicket(
                JsonNode.Parse(e.RequestMessage.Body!)!["input"]!.AsObject(),
                e.RequestMessage.Headers!.TryGetValue("traceparent", out var tp) ? tp.ToString() : null,
                e.ResponseMessage.StatusCode is int status ? status : 0))
            .Where(t => t.Input["name"]?.GetValue<string>().StartsWith($"[{reference}] ", StringComparison.Ordinal) == true)
            .ToList();

    /// <summary>
    /// The upload manifest (<c>input</c>) of every document posted for GLPI ticket <paramref name="glpiId"/>,
    /// read from the multipart body.
    /// </summary>
    public IReadOnlyList<JsonObject> DocumentsFor(string glpiId) =>
        Server.LogEntries
            .Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path.TrimEnd('/') == "/apirest.php/Document")
            .Select(e => Manifest(e.RequestMessage))
            .OfType<JsonObject>()
            .Where(input => input["items_id"]?.ToString() == glpiId)
            .ToList();

    /// <summary>The content of every follow-up posted on GLPI ticket <paramref name="glpiId"/>.</summary>
    public IReadOnlyList<string> FollowupsOn(string glpiId) =>
        Server.LogEntries
            .Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == $"/apirest.php/Ticket/{glpiId}/ITILFollowup")
            .Select(e => JsonNode.Parse(e.RequestMessage.Body!)!["input"]!["content"]!.GetValue<string>())
            .ToList();

    /// <summary>
    /// A technician moves GLPI ticket <paramref name="glpiId"/> to <paramref name="status"/> now: from
    /// then on, <c>search/Ticket</c> lists it with that status, a <c>date_mod</c> of GLPI's clock (its
    /// local time, Europe/Paris) and no follow-up, as long as the search starts before that date.
    /// </summary>
    public void TechnicianChanges(int glpiId, string reference, int status)
    {
        var dateMod = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, GlpiTimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        _changedTickets[glpiId] = new JsonObject
        {
            ["2"] = glpiId,
            ["12"] = status,
            ["15"] = dateMod,
            ["19"] = dateMod,
            ["27"] = 0,
            ["1"] = $"[{reference}] Ticket changé par un technicien",
        };
    }

    /// <summary>
    /// The changed tickets whose date_mod is after the search's <c>morethan</c> criterion on field 19
    /// (GLPI compares its local date texts), oldest first, in GLPI's search answer.
    /// </summary>
    private string SearchChanged(IRequestMessage request)
    {
        var since = QueryValue(request, "criteria[0][value]");
        var rows = _changedTickets.Values
            .Where(row => since is null || string.CompareOrdinal(row["19"]!.GetValue<string>(), since) > 0)
            .OrderBy(row => row["19"]!.GetValue<string>(), StringComparer.Ordinal)
            .Select(row => (JsonNode)row.DeepClone())
            .ToArray();
        var answer = new JsonObject { ["totalcount"] = rows.Length, ["count"] = rows.Length };
        if (rows.Length > 0)
        {
            // GLPI leaves "data" out when nothing matched.
            answer["data"] = new JsonArray(rows);
        }

        answer["content-range"] = $"0-{rows.Length - 1}/{rows.Length}";
        return answer.ToJsonString();
    }

    private static string? QueryValue(IRequestMessage request, string name) =>
        request.Query?.FirstOrDefault(parameter => Uri.UnescapeDataString(parameter.Key) == name).Value?.FirstOrDefault();

    private static ResponseMessage Json(int status, string body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { DetectedBodyType = BodyType.String, BodyAsString = body },
    };

    /// <summary>The <c>input</c> of a multipart upload's <c>uploadManifest</c> part, or null.</summary>
    private static JsonObject? Manifest(IRequestMessage request)
    {
        var contentType = request.Headers?.FirstOrDefault(header => string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (contentType is null || request.BodyAsBytes is null
            || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type))
        {
            return null;
        }

        var boundary = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return null;
        }

        var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, new MemoryStream(request.BodyAsBytes));
        while (reader.ReadNextSectionAsync().GetAwaiter().GetResult() is { } section)
        {
            if (section.ContentDisposition?.Contains("name=\"uploadManifest\"", StringComparison.Ordinal) == true)
            {
                using var text = new StreamReader(section.Body);
                return JsonNode.Parse(text.ReadToEnd())?["input"]?.AsObject();
            }
        }

        return null;
    }

    public void Dispose() => Server.Stop();
}

internal sealed record CreatedTicket(JsonObject Input, string? TraceParent, int Status);
