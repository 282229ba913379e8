using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using TicketHub.Testing;

namespace TicketHub.RealTools;

/// <summary>A document the tool holds for a ticket.</summary>
public sealed record ToolDocument(string Id, string FileName);

/// <summary>
/// What the shared scenarios (<see cref="ToolScenarios"/>) need of a real tool: how to recognise the
/// connector's calls that act in it, and how to read and act in it as the infogérant's technician.
/// One implementation per tool; the scenarios are written once.
/// </summary>
public interface IToolUnderTest
{
    InfogerantTool Tool { get; }

    /// <summary>The connector's call that creates a ticket.</summary>
    bool IsTicketCreation(ProxiedRequest request);

    /// <summary>The tool's id of the ticket it created, read from its answer to <see cref="IsTicketCreation"/>.</summary>
    string CreatedId(string toolAnswer);

    /// <summary>The connector's call that adds a document to a ticket.</summary>
    bool IsDocumentUpload(ProxiedRequest request);

    /// <summary>The tool's ids of every ticket whose title contains <paramref name="marker"/>.</summary>
    Task<IReadOnlyList<string>> TicketsTitledAsync(string marker);

    /// <summary>The documents the tool holds for ticket <paramref name="externalId"/>.</summary>
    Task<IReadOnlyList<ToolDocument>> DocumentsAsync(string externalId);

    /// <summary>The public messages of ticket <paramref name="externalId"/> (follow-ups, public log), as plain text.</summary>
    Task<IReadOnlyList<string>> MessagesAsync(string externalId);

    /// <summary>A technician takes the ticket in hand (the hub shows it in progress).</summary>
    Task TakeInHandAsync(string externalId);

    /// <summary>A technician answers the collège, in the tool's rich-text editor.</summary>
    Task ReplyAsync(string externalId, string html);

    /// <summary>A technician resolves the ticket with a solution, in the tool's rich-text editor.</summary>
    Task ResolveAsync(string externalId, string solutionHtml);
}

/// <summary>The real GLPI 10: the connector's calls under <c>apirest.php</c>, the technician is GLPI's super-admin.</summary>
public sealed class RealGlpiUnderTest : IToolUnderTest
{
    public InfogerantTool Tool => InfogerantTool.Glpi;

    public bool IsTicketCreation(ProxiedRequest request) =>
        request.Method == "POST" && Path(request).EndsWith("/Ticket", StringComparison.Ordinal);

    public string CreatedId(string toolAnswer) => JsonNode.Parse(toolAnswer)!["id"]!.ToString();

    public bool IsDocumentUpload(ProxiedRequest request) =>
        request.Method == "POST" && Path(request).EndsWith("/Document", StringComparison.Ordinal);

    public async Task<IReadOnlyList<string>> TicketsTitledAsync(string marker)
    {
        using var glpi = new RealGlpiClient();
        return [.. (await glpi.TicketsTitledAsync(marker)).Select(ticket => ticket.Id.ToString(CultureInfo.InvariantCulture))];
    }

    public async Task<IReadOnlyList<ToolDocument>> DocumentsAsync(string externalId)
    {
        using var glpi = new RealGlpiClient();
        var links = await glpi.GetAsync($"Ticket/{externalId}/Document_Item");
        var documents = new List<ToolDocument>();
        foreach (var link in links as JsonArray ?? [])
        {
            var id = link!["documents_id"]!.ToString();
            var document = await glpi.GetAsync($"Document/{id}");
            documents.Add(new ToolDocument(id, document!["filename"]!.GetValue<string>()));
        }

        return documents;
    }

    public async Task<IReadOnlyList<string>> MessagesAsync(string externalId)
    {
        using var glpi = new RealGlpiClient();
        var followups = await glpi.GetAsync($"Ticket/{externalId}/ITILFollowup");
        return [.. (followups as JsonArray ?? []).Select(f => PlainText(f!["content"]!.GetValue<string>()))];
    }

    public async Task TakeInHandAsync(string externalId)
    {
        using var technician = new RealGlpiClient(PeerTools.Glpi.AdminUserToken);
        await technician.PutAsync($"Ticket/{externalId}", new JsonObject { ["status"] = 2 });
    }

    public async Task ReplyAsync(string externalId, string html)
    {
        using var technician = new RealGlpiClient(PeerTools.Glpi.AdminUserToken);
        await technician.PostAsync($"Ticket/{externalId}/ITILFollowup", new JsonObject
        {
            ["itemtype"] = "Ticket",
            ["items_id"] = int.Parse(externalId, CultureInfo.InvariantCulture),
            ["content"] = html,
        });
    }

    public async Task ResolveAsync(string externalId, string solutionHtml)
    {
        using var technician = new RealGlpiClient(PeerTools.Glpi.AdminUserToken);
        await technician.PostAsync($"Ticket/{externalId}/ITILSolution", new JsonObject
        {
            ["itemtype"] = "Ticket",
            ["items_id"] = int.Parse(externalId, CultureInfo.InvariantCulture),
            ["content"] = solutionHtml,
        });
    }

    private static string Path(ProxiedRequest request) => request.PathAndQuery.Split('?')[0].TrimEnd('/');

    /// <summary>
    /// GLPI 10 returns its HTML encoded once more: decoded once into HTML, its tags dropped, then its
    /// entities decoded (the text's own « &lt; » stays), for comparing texts.
    /// </summary>
    private static string PlainText(string stored) =>
        WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(WebUtility.HtmlDecode(stored), "<[^>]+>", " ")).Trim();
}

/// <summary>The real iTop 3.2 (ITIL): the connector's REST operations, the technician is the support agent <c>hub-agent</c>.</summary>
public sealed class RealItopUnderTest : IToolUnderTest
{
    public InfogerantTool Tool => InfogerantTool.Itop;

    public bool IsTicketCreation(ProxiedRequest request) =>
        Operation(request) is { } op && op["operation"]?.GetValue<string>() == "core/create"
        && op["class"]?.GetValue<string>() is "UserRequest" or "Incident";

    public string CreatedId(string toolAnswer) => JsonNode.Parse(toolAnswer)!["objects"]!.AsObject().Single().Value!["key"]!.ToString();

    public bool IsDocumentUpload(ProxiedRequest request) =>
        Operation(request) is { } op && op["operation"]?.GetValue<string>() == "core/create" && op["class"]?.GetValue<string>() == "Attachment";

    public async Task<IReadOnlyList<string>> TicketsTitledAsync(string marker)
    {
        using var itop = new RealItopClient();
        var found = await itop.GetAsync("Ticket", $"SELECT Ticket WHERE title LIKE '%{marker}%'", "id");
        return [.. found.Select(ticket => ticket["id"]!.ToString())];
    }

    public async Task<IReadOnlyList<ToolDocument>> DocumentsAsync(string externalId)
    {
        using var itop = new RealItopClient();
        var found = await itop.GetAsync("Attachment", $"SELECT Attachment WHERE item_id = {Key(externalId)}", "id,contents");
        return [.. found.Select(a => new ToolDocument(a["id"]!.ToString(), a["contents"]?["filename"]?.GetValue<string>() ?? ""))];
    }

    public async Task<IReadOnlyList<string>> MessagesAsync(string externalId)
    {
        using var itop = new RealItopClient();
        // public_log is UserRequest's and Incident's, not their parent Ticket's: ask the ticket's own class.
        var className = await ClassOfAsync(externalId);
        var found = await itop.GetAsync(className, $"SELECT {className} WHERE id = {Key(externalId)}", "public_log");
        var entries = found.Single()["public_log"]?["entries"] as JsonArray ?? [];
        return [.. entries.Select(e => e!["message"]!.GetValue<string>().Trim())];
    }

    public async Task TakeInHandAsync(string externalId)
    {
        var itop = PeerTools.Itop;
        await StimulusAsync(externalId, "ev_assign", new JsonObject { ["team_id"] = itop.TeamId, ["agent_id"] = itop.AgentId });
    }

    public async Task ReplyAsync(string externalId, string html)
    {
        using var agent = new RealItopClient(asAgent: true);
        var answer = await agent.CallAsync(new JsonObject
        {
            ["operation"] = "core/update",
            ["class"] = await ClassOfAsync(externalId),
            ["key"] = Key(externalId),
            ["comment"] = "technicien (tests)",
            ["fields"] = new JsonObject { ["public_log"] = new JsonObject { ["add_item"] = new JsonObject { ["message"] = html, ["format"] = "html" } } },
        });
        Assert.That(answer["code"]!.GetValue<int>(), Is.Zero, answer.ToJsonString());
    }

    public Task ResolveAsync(string externalId, string solutionHtml) =>
        // resolution_code is one of the ITIL datamodel's values (assistance, other, software patch,
        // training, hardware repair, system update, bug fixed): iTop refuses "fixed" with code 100.
        StimulusAsync(externalId, "ev_resolve", new JsonObject { ["solution"] = solutionHtml, ["resolution_code"] = "hardware repair" });

    private static async Task StimulusAsync(string externalId, string stimulus, JsonObject fields)
    {
        using var agent = new RealItopClient(asAgent: true);
        var answer = await agent.CallAsync(new JsonObject
        {
            ["operation"] = "core/apply_stimulus",
            ["class"] = await ClassOfAsync(externalId),
            ["key"] = Key(externalId),
            ["stimulus"] = stimulus,
            ["comment"] = "technicien (tests)",
            ["fields"] = fields,
            ["output_fields"] = "status",
        });
        Assert.That(answer["code"]!.GetValue<int>(), Is.Zero, answer.ToJsonString());
    }

    /// <summary>UserRequest or Incident: the ticket's leaf class, which the lifecycle operations need.</summary>
    private static async Task<string> ClassOfAsync(string externalId)
    {
        using var itop = new RealItopClient();
        var found = await itop.GetAsync("Ticket", $"SELECT Ticket WHERE id = {Key(externalId)}", "finalclass");
        return found.Single()["finalclass"]!.GetValue<string>();
    }

    private static int Key(string externalId) => int.Parse(externalId, CultureInfo.InvariantCulture);

    private static JsonObject? Operation(ProxiedRequest request)
    {
        if (request.Method != "POST")
        {
            return null;
        }

        var form = request.Body.Split('&').Select(pair => pair.Split('=', 2)).Where(pair => pair.Length == 2)
            .ToDictionary(pair => WebUtility.UrlDecode(pair[0]), pair => WebUtility.UrlDecode(pair[1]));
        return form.TryGetValue("json_data", out var json) ? JsonNode.Parse(json) as JsonObject : null;
    }
}
