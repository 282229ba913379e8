using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using TicketHub.Testing;

namespace TicketHub.RealTools;

/// <summary>A document the tool holds for a ticket.</summary>
public sealed record ToolDocument(string Id, string FileName);

/// <summary>What a technician writes, as a rich-text editor holds it and as plain text: each tool takes the form it has.</summary>
public sealed record TechnicianText(string Html, string Text);

/// <summary>
/// What the shared scenarios (<see cref="ToolScenarios"/>) need of a tool: the ticket the rule set
/// sends to it, how to recognise the connector's calls that act in it, and how to read and act in it
/// as its technician. One implementation per tool; the scenarios are written once.
/// </summary>
public interface IToolUnderTest
{
    ToolKind Tool { get; }

    /// <summary>A ticket of Collège Jean Moulin that the shipped rule set sends to this tool.</summary>
    JsonObject NewTicket(string title);

    /// <summary>The dispatcher's re-route that sends this tool's ticket to another team.</summary>
    object MoveAway(string reason);

    /// <summary>That other team, as the notes name it (<c>le Rectorat (PASS)</c>…).</summary>
    string MovedTo { get; }

    /// <summary>The dispatcher's re-route that sends the ticket back to this tool.</summary>
    object SendBack(string reason);

    /// <summary>The connector's call that creates a ticket.</summary>
    bool IsTicketCreation(ProxiedRequest request);

    /// <summary>The tool's id of the ticket it created, read from its answer to <see cref="IsTicketCreation"/>.</summary>
    string CreatedId(string toolAnswer);

    /// <summary>The tool's ids of every ticket whose title contains <paramref name="marker"/>.</summary>
    Task<IReadOnlyList<string>> TicketsTitledAsync(string marker);

    /// <summary>The public messages of ticket <paramref name="externalId"/> (follow-ups, public log), as plain text.</summary>
    Task<IReadOnlyList<string>> MessagesAsync(string externalId);

    /// <summary>A technician takes the ticket in hand (the hub shows it in progress).</summary>
    Task TakeInHandAsync(string externalId);

    /// <summary>A technician answers the collège.</summary>
    Task ReplyAsync(string externalId, TechnicianText text);

    /// <summary>A technician resolves the ticket with a solution.</summary>
    Task ResolveAsync(string externalId, TechnicianText solution);
}

/// <summary>A tool that takes the collège's files as documents of its ticket (GLPI, iTop: ADR 11).</summary>
public interface IToolTakingFiles : IToolUnderTest
{
    /// <summary>The connector's call that adds a document to a ticket.</summary>
    bool IsDocumentUpload(ProxiedRequest request);

    /// <summary>The documents the tool holds for ticket <paramref name="externalId"/>.</summary>
    Task<IReadOnlyList<ToolDocument>> DocumentsAsync(string externalId);
}

/// <summary>What GLPI and iTop, the infogérant's tools, share: the classroom ticket of rule R4, a re-route to the Rectorat and back.</summary>
public abstract class InfogerantToolUnderTest : IToolTakingFiles
{
    public abstract ToolKind Tool { get; }

    public JsonObject NewTicket(string title) => RealToolHub.TicketBody(title);

    public object MoveAway(string reason) => new { target = "pass", reason };

    public string MovedTo => "le Rectorat (PASS)";

    public object SendBack(string reason) => new { target = "infogerant", tool = Tool.ToString().ToLowerInvariant(), reason };

    public abstract bool IsTicketCreation(ProxiedRequest request);

    public abstract string CreatedId(string toolAnswer);

    public abstract bool IsDocumentUpload(ProxiedRequest request);

    public abstract Task<IReadOnlyList<string>> TicketsTitledAsync(string marker);

    public abstract Task<IReadOnlyList<ToolDocument>> DocumentsAsync(string externalId);

    public abstract Task<IReadOnlyList<string>> MessagesAsync(string externalId);

    public abstract Task TakeInHandAsync(string externalId);

    public abstract Task ReplyAsync(string externalId, TechnicianText text);

    public abstract Task ResolveAsync(string externalId, TechnicianText solution);
}

/// <summary>The real GLPI 10: the connector's calls under <c>apirest.php</c>, the technician is GLPI's super-admin.</summary>
public sealed class RealGlpiUnderTest : InfogerantToolUnderTest
{
    public override ToolKind Tool => ToolKind.Glpi;

    public override bool IsTicketCreation(ProxiedRequest request) =>
        request.Method == "POST" && Path(request).EndsWith("/Ticket", StringComparison.Ordinal);

    public override string CreatedId(string toolAnswer) => JsonNode.Parse(toolAnswer)!["id"]!.ToString();

    public override bool IsDocumentUpload(ProxiedRequest request) =>
        request.Method == "POST" && Path(request).EndsWith("/Document", StringComparison.Ordinal);

    public override async Task<IReadOnlyList<string>> TicketsTitledAsync(string marker)
    {
        using var glpi = new RealGlpiClient();
        return [.. (await glpi.TicketsTitledAsync(marker)).Select(ticket => ticket.Id.ToString(CultureInfo.InvariantCulture))];
    }

    public override async Task<IReadOnlyList<ToolDocument>> DocumentsAsync(string externalId)
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

    public override async Task<IReadOnlyList<string>> MessagesAsync(string externalId)
    {
        using var glpi = new RealGlpiClient();
        var followups = await glpi.GetAsync($"Ticket/{externalId}/ITILFollowup");
        return [.. (followups as JsonArray ?? []).Select(f => PlainText(f!["content"]!.GetValue<string>()))];
    }

    public override async Task TakeInHandAsync(string externalId)
    {
        using var technician = new RealGlpiClient(PeerTools.Glpi.AdminUserToken);
        await technician.PutAsync($"Ticket/{externalId}", new JsonObject { ["status"] = 2 });
    }

    public override async Task ReplyAsync(string externalId, TechnicianText text)
    {
        using var technician = new RealGlpiClient(PeerTools.Glpi.AdminUserToken);
        await technician.PostAsync($"Ticket/{externalId}/ITILFollowup", new JsonObject
        {
            ["itemtype"] = "Ticket",
            ["items_id"] = int.Parse(externalId, CultureInfo.InvariantCulture),
            ["content"] = text.Html,
        });
    }

    public override async Task ResolveAsync(string externalId, TechnicianText solution)
    {
        using var technician = new RealGlpiClient(PeerTools.Glpi.AdminUserToken);
        await technician.PostAsync($"Ticket/{externalId}/ITILSolution", new JsonObject
        {
            ["itemtype"] = "Ticket",
            ["items_id"] = int.Parse(externalId, CultureInfo.InvariantCulture),
            ["content"] = solution.Html,
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
public sealed class RealItopUnderTest : InfogerantToolUnderTest
{
    public override ToolKind Tool => ToolKind.Itop;

    public override bool IsTicketCreation(ProxiedRequest request) =>
        Operation(request) is { } op && op["operation"]?.GetValue<string>() == "core/create"
        && op["class"]?.GetValue<string>() is "UserRequest" or "Incident";

    public override string CreatedId(string toolAnswer) => JsonNode.Parse(toolAnswer)!["objects"]!.AsObject().Single().Value!["key"]!.ToString();

    public override bool IsDocumentUpload(ProxiedRequest request) =>
        Operation(request) is { } op && op["operation"]?.GetValue<string>() == "core/create" && op["class"]?.GetValue<string>() == "Attachment";

    public override async Task<IReadOnlyList<string>> TicketsTitledAsync(string marker)
    {
        using var itop = new RealItopClient();
        var found = await itop.GetAsync("Ticket", $"SELECT Ticket WHERE title LIKE '%{marker}%'", "id");
        return [.. found.Select(ticket => ticket["id"]!.ToString())];
    }

    public override async Task<IReadOnlyList<ToolDocument>> DocumentsAsync(string externalId)
    {
        using var itop = new RealItopClient();
        var found = await itop.GetAsync("Attachment", $"SELECT Attachment WHERE item_id = {Key(externalId)}", "id,contents");
        return [.. found.Select(a => new ToolDocument(a["id"]!.ToString(), a["contents"]?["filename"]?.GetValue<string>() ?? ""))];
    }

    public override async Task<IReadOnlyList<string>> MessagesAsync(string externalId)
    {
        using var itop = new RealItopClient();
        // public_log is UserRequest's and Incident's, not their parent Ticket's: ask the ticket's own class.
        var className = await ClassOfAsync(externalId);
        var found = await itop.GetAsync(className, $"SELECT {className} WHERE id = {Key(externalId)}", "public_log");
        var entries = found.Single()["public_log"]?["entries"] as JsonArray ?? [];
        return [.. entries.Select(e => e!["message"]!.GetValue<string>().Trim())];
    }

    public override async Task TakeInHandAsync(string externalId)
    {
        var itop = PeerTools.Itop;
        await StimulusAsync(externalId, "ev_assign", new JsonObject { ["team_id"] = itop.TeamId, ["agent_id"] = itop.AgentId });
    }

    public override async Task ReplyAsync(string externalId, TechnicianText text)
    {
        using var agent = new RealItopClient(asAgent: true);
        var answer = await agent.CallAsync(new JsonObject
        {
            ["operation"] = "core/update",
            ["class"] = await ClassOfAsync(externalId),
            ["key"] = Key(externalId),
            ["comment"] = "technicien (tests)",
            ["fields"] = new JsonObject { ["public_log"] = new JsonObject { ["add_item"] = new JsonObject { ["message"] = text.Html, ["format"] = "html" } } },
        });
        Assert.That(answer["code"]!.GetValue<int>(), Is.Zero, answer.ToJsonString());
    }

    public override Task ResolveAsync(string externalId, TechnicianText solution) =>
        // resolution_code is one of the ITIL datamodel's values (assistance, other, software patch,
        // training, hardware repair, system update, bug fixed): iTop refuses "fixed" with code 100.
        StimulusAsync(externalId, "ev_resolve", new JsonObject { ["solution"] = solution.Html, ["resolution_code"] = "hardware repair" });

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

/// <summary>
/// PASS (the Rectorat's) or Omère (the building service's), which have no instance here: the
/// sandbox plays their side of the hub's contract for tools (docs/api/outil-externe.openapi.yaml),
/// and the technician acts through its script endpoints. Plain text both ways: the contract has no HTML.
/// </summary>
public sealed class SandboxToolUnderTest(ToolKind tool) : IToolUnderTest
{
    public ToolKind Tool => tool;

    private string Name => tool.ToString().ToLowerInvariant();

    public JsonObject NewTicket(string title)
    {
        var ticket = RealToolHub.TicketBody(title);
        if (tool == ToolKind.Pass)
        {
            // R5: the administration zone of a collège the Département took over, a national application.
            ticket["zone"] = "ZA";
            ticket["category"] = "application-metier-en";
            ticket["location"] = "Secrétariat";
            ticket["equipment"] = "SIECLE";
        }
        else
        {
            // R1: anything that concerns the building.
            ticket["buildingImpact"] = true;
        }

        return ticket;
    }

    public object MoveAway(string reason) =>
        tool == ToolKind.Pass ? new { target = "infogerant", tool = "glpi", reason } : new { target = "pass", reason };

    public string MovedTo => tool == ToolKind.Pass ? "l'infogérant du Département" : "le Rectorat (PASS)";

    public object SendBack(string reason) => new { target = Name, reason };

    public bool IsTicketCreation(ProxiedRequest request) =>
        request.Method == "POST" && request.PathAndQuery.Split('?')[0].TrimEnd('/') == $"/{Name}/api/tickets";

    public string CreatedId(string toolAnswer) => JsonNode.Parse(toolAnswer)!["id"]!.GetValue<string>();

    public async Task<IReadOnlyList<string>> TicketsTitledAsync(string marker) =>
        [.. (await TicketsAsync())
            .Where(ticket => ticket["received"]?["title"]?.GetValue<string>().Contains(marker, StringComparison.Ordinal) == true)
            .Select(ticket => ticket["id"]!.GetValue<string>())];

    public async Task<IReadOnlyList<string>> MessagesAsync(string externalId) =>
        [.. ((await TicketsAsync()).Single(ticket => ticket["id"]!.GetValue<string>() == externalId)["messages"] as JsonArray ?? [])
            .Select(message => message!["body"]!.GetValue<string>())];

    public async Task TakeInHandAsync(string externalId) => await (await SandboxAsync()).StatusAsync(Name, externalId, "assigned");

    public async Task ReplyAsync(string externalId, TechnicianText text) => await (await SandboxAsync()).ReplyAsync(Name, externalId, text.Text);

    public async Task ResolveAsync(string externalId, TechnicianText solution)
    {
        var sandbox = await SandboxAsync();
        await sandbox.ReplyAsync(Name, externalId, solution.Text);
        await sandbox.StatusAsync(Name, externalId, "solved");
    }

    private async Task<IReadOnlyList<JsonObject>> TicketsAsync() => await (await SandboxAsync()).TicketsAsync(Name);

    /// <summary>The sandbox of this tool's hub (each hub starts its own).</summary>
    private async Task<EndToEnd.Tests.Infrastructure.Sandbox> SandboxAsync() => (await RealHubs.ForAsync(tool)).Sandbox!;
}
