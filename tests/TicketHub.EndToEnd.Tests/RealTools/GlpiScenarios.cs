using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TicketHub.Testing;

namespace TicketHub.RealTools;

/// <summary>
/// The GLPI connector's promises, checked through the real broker and processes against the real
/// GLPI 10.0.11: every mapped field, the requester, one ticket and one document even when the
/// connector dies in the window where GLPI acted and the connector has not recorded it, the
/// technician's words reaching the collège as text, the collège's comment and a re-route note reaching
/// GLPI once and never coming back as replies. Each test has tickets of its own.
/// </summary>
[NonParallelizable]
public sealed class GlpiScenarios
{
    private static RealGlpi Glpi => PeerTools.Glpi;

    [Test]
    public async Task Creates_the_ticket_once_with_every_mapped_field_and_the_requester_named()
    {
        var hub = await RealHubs.GlpiAsync();
        var title = $"VPI éteint {Guid.NewGuid():N}";

        var (id, reference) = await hub.SubmitAsync(RealToolHub.TicketBody(title));
        var glpiId = await hub.WaitForwardedAsync(id);

        using var glpi = new RealGlpiClient();
        var ticket = (await glpi.GetAsync($"Ticket/{glpiId}"))!;
        var college = Glpi.Entity("0931234X");
        Assert.That(ticket["name"]!.GetValue<string>(), Is.EqualTo($"[{reference}] {title}"), "the reference where GLPI 10 keeps it");
        Assert.That(ticket["entities_id"]!.GetValue<int>(), Is.EqualTo(college.EntitiesId));
        Assert.That(ticket["itilcategories_id"]!.GetValue<int>(), Is.EqualTo(Glpi.Categories["Matériel"]));
        Assert.That(ticket["type"]!.GetValue<int>(), Is.EqualTo(1), "incident");
        Assert.That(ticket["urgency"]!.GetValue<int>(), Is.EqualTo(4), "high");
        Assert.That(ticket["status"]!.GetValue<int>(), Is.EqualTo(1));
        var content = WebUtility.HtmlDecode(ticket["content"]!.GetValue<string>());
        Assert.That(content, Does.StartWith($"<p>Demande transmise par TicketHub, référence <strong>{reference}</strong>.</p>"));
        Assert.That(content, Does.Contain("<p>L&#39;élève a « tout essayé » : câble &amp; télécommande.</p>"), "the collège's text, encoded once, its paragraphs kept");
        var requesters = (await glpi.GetAsync($"Ticket/{glpiId}/Ticket_User"))!.AsArray();
        Assert.That(requesters.Select(user => (user!["type"]!.GetValue<int>(), user["users_id"]!.GetValue<int>())), Is.EqualTo(new[] { (1, college.RequesterUsersId) }),
            "the GLPI user with the requester's e-mail asked");
        Assert.That(await glpi.TicketsTitledAsync($"[{reference}]"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Creates_one_ticket_when_GLPI_created_it_and_the_connector_was_killed_before_recording_it()
    {
        var hub = await RealHubs.GlpiAsync();
        // ASCII: the connector's JSON escapes accented letters.
        var marker = Guid.NewGuid().ToString("N");
        var held = hub.Proxy.Hold(request => request.Method == "POST" && request.PathAndQuery.EndsWith("/Ticket", StringComparison.Ordinal)
            && request.Body.Contains(marker, StringComparison.Ordinal));

        var (id, reference) = await hub.SubmitAsync(RealToolHub.TicketBody($"Fenêtre de création {marker}"));
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        var createdByGlpi = JsonNode.Parse(held.ToolBody)!["id"]!.GetValue<int>();
        hub.KillConnector();
        held.Drop();
        await hub.StartConnectorAsync();

        Assert.That(await hub.WaitForwardedAsync(id), Is.EqualTo(createdByGlpi.ToString(CultureInfo.InvariantCulture)), "the ticket GLPI had created");
        using var glpi = new RealGlpiClient();
        Assert.That(await glpi.TicketsTitledAsync($"[{reference}]"), Has.Count.EqualTo(1), "one GLPI ticket for the reference");
    }

    [Test]
    public async Task Adds_the_file_once_when_GLPI_stored_it_and_the_connector_was_killed_before_recording_it()
    {
        var hub = await RealHubs.GlpiAsync();
        var marker = Guid.NewGuid().ToString("N");
        var file = Encoding.UTF8.GetBytes($"Relevé des prises de la salle 12 — {marker}\n");
        var held = hub.Proxy.Hold(request => request.Method == "POST" && request.PathAndQuery.EndsWith("/Document", StringComparison.Ordinal)
            && request.Body.Contains(marker, StringComparison.Ordinal));

        var (id, _) = await hub.SubmitWithFileAsync(RealToolHub.TicketBody($"Fenêtre d'envoi {marker}"), "relevé.txt", file, "text/plain");
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(90));
        var storedByGlpi = JsonNode.Parse(held.ToolBody)!["id"]!.GetValue<int>();
        hub.KillConnector();
        held.Drop();
        await hub.StartConnectorAsync();
        // TicketForwarded may have still been in the killed connector's outbox: the restarted one sends it.
        var glpiId = await hub.WaitForwardedAsync(id);

        // The restarted connector looks the document up by its SHA-1 among the ticket's, and finds GLPI's.
        await EventuallyAsync(() => Task.FromResult(hub.Proxy.Seen.Any(request => request.Method == "GET"
            && request.PathAndQuery.EndsWith($"/Document/{storedByGlpi}", StringComparison.Ordinal))), "the document looked up after the restart", hub);
        using var glpi = new RealGlpiClient();
        var links = (await glpi.GetAsync($"Ticket/{glpiId}/Document_Item"))!.AsArray();
        Assert.That(links.Select(link => link!["documents_id"]!.GetValue<int>()), Is.EqualTo(new[] { storedByGlpi }), "one document on the ticket");
        Assert.That(hub.Proxy.Seen.Count(request => request.Method == "POST" && request.PathAndQuery.EndsWith("/Document", StringComparison.Ordinal)
            && request.Body.Contains(marker, StringComparison.Ordinal)), Is.EqualTo(1), "uploaded once");
    }

    [Test]
    public async Task Brings_the_technician_s_status_reply_and_solution_back_as_text_and_sends_the_college_s_comment_once_never_echoed()
    {
        var hub = await RealHubs.GlpiAsync();
        var (id, reference) = await hub.SubmitAsync(RealToolHub.TicketBody($"Échanges {Guid.NewGuid():N}"));
        var glpiId = await hub.WaitForwardedAsync(id);
        var comment = $"Le câble <HDMI> & la télécommande sont dans l'armoire ({reference}).";

        using (var posted = await hub.Client.PostAsJsonAsync($"/api/v1/tickets/{id}/comments", new { text = comment }))
        {
            Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await posted.Content.ReadAsStringAsync());
        }

        using var glpi = new RealGlpiClient();
        await EventuallyAsync(async () => (await FollowupTextsAsync(glpi, glpiId)).Any(text => text.Contains(comment, StringComparison.Ordinal)), "the comment in GLPI", hub);
        using var technician = new RealGlpiClient(Glpi.AdminUserToken);
        await technician.PutAsync($"Ticket/{glpiId}", new JsonObject { ["status"] = 2 });
        await technician.PostAsync($"Ticket/{glpiId}/ITILFollowup", new JsonObject
        {
            ["itemtype"] = "Ticket", ["items_id"] = glpiId, ["content"] = "<p>Bonjour,</p><p>Je passe jeudi &amp; j&#39;apporte le câble.</p>",
        });
        await technician.PostAsync($"Ticket/{glpiId}/ITILSolution", new JsonObject
        {
            ["itemtype"] = "Ticket", ["items_id"] = glpiId, ["content"] = "<p>Câble &lt;HDMI&gt; remplacé.</p>",
        });

        const string Reply = "Bonjour,\n\nJe passe jeudi & j'apporte le câble.";
        const string Solution = "Câble <HDMI> remplacé.";
        var ticket = await hub.WaitForTicketAsync(id, t => t["status"]!.GetValue<string>() == "resolved"
            && Replies(t).Contains(Reply) && Replies(t).Contains(Solution));
        Assert.That(Replies(ticket).Count(text => text == Reply), Is.EqualTo(1), "the reply once, as text");
        var about = Timeline(ticket).Where(entry => entry["text"]?.GetValue<string>() == comment).ToList();
        Assert.That(about.Select(entry => entry["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "comment" }), "the comment never comes back as a reply");
        Assert.That((await FollowupTextsAsync(glpi, glpiId)).Count(text => text.Contains(comment, StringComparison.Ordinal)), Is.EqualTo(1), "in GLPI once");
    }

    [Test]
    public async Task Tells_the_GLPI_ticket_once_when_a_dispatcher_sends_the_request_elsewhere()
    {
        var hub = await RealHubs.GlpiAsync();
        var (id, reference) = await hub.SubmitAsync(RealToolHub.TicketBody($"Réorientation {Guid.NewGuid():N}"));
        var glpiId = await hub.WaitForwardedAsync(id);
        var reason = $"Poste administratif : le Rectorat s'en charge ({reference}).";

        await hub.PostAsAsync("dispatcher", $"/api/v1/tickets/{id}/reroute", new { target = "pass", reason });

        using var glpi = new RealGlpiClient();
        await EventuallyAsync(async () => (await FollowupTextsAsync(glpi, glpiId)).Any(text => text.Contains("Demande réorientée par le Pôle TIE", StringComparison.Ordinal)),
            "the re-route note in GLPI", hub);
        var notes = (await FollowupTextsAsync(glpi, glpiId)).Where(text => text.Contains("Demande réorientée", StringComparison.Ordinal)).ToList();
        Assert.That(notes, Has.Count.EqualTo(1));
        Assert.That(notes[0], Does.Contain(reason).And.Contain("Rectorat"), "the reason, readable");
    }

    /// <summary>The ticket's follow-ups as a technician reads them: GLPI 10's encoded HTML decoded once, tags dropped.</summary>
    private static async Task<List<string>> FollowupTextsAsync(RealGlpiClient glpi, string glpiId) =>
        [.. ((await glpi.GetAsync($"Ticket/{glpiId}/ITILFollowup"))?.AsArray() ?? [])
            .Select(followup => WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(
                WebUtility.HtmlDecode(followup!["content"]!.GetValue<string>()), "<[^>]+>", " ")))];

    private static IEnumerable<JsonObject> Timeline(JsonObject ticket) => ticket["timeline"]!.AsArray().Select(entry => entry!.AsObject());

    private static List<string> Replies(JsonObject ticket) =>
        [.. Timeline(ticket).Where(entry => entry["kind"]!.GetValue<string>() == "reply").Select(entry => entry["text"]!.GetValue<string>())];

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, RealToolHub hub)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Never happened: {what}\n{hub.Logs()}");
            }

            await Task.Delay(300);
        }
    }
}
