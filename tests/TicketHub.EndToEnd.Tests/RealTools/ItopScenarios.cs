using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TicketHub.Testing;

namespace TicketHub.RealTools;

/// <summary>
/// The hub against the real iTop 3.2 with the ITIL modules, through the real broker and processes
/// (<see cref="RealToolHub"/>): incidents land in the class Incident and requests in UserRequest,
/// each once, even when the connector dies in the window where iTop has acted and the connector has
/// not recorded it; the technician's work comes back to intake as text the collège can read; the
/// collège's words and the dispatcher's re-route reach the ticket's public log once, never echoed.
/// </summary>
[NonParallelizable]
public sealed class ItopScenarios
{
    private readonly RealItopUnderTest _itop = new();

    [Test]
    public async Task An_incident_lands_in_the_class_Incident_with_every_mapped_field()
    {
        var hub = await RealHubs.ItopAsync();
        var title = Title("incident");

        var (id, reference) = await hub.SubmitAsync(RealToolHub.TicketBody(title, uai: "0931235A"));
        var key = await hub.WaitForwardedAsync(id);

        var ticket = await ReadAsync("Incident", key, "title,org_id,caller_id,urgency,origin,status,description");
        var college = PeerTools.Itop.Org("0931235A");
        Assert.Multiple(() =>
        {
            Assert.That(ticket["title"]!.GetValue<string>(), Is.EqualTo(title));
            Assert.That((Text(ticket, "org_id"), Text(ticket, "caller_id")), Is.EqualTo((Id(college.OrgId), Id(college.CallerId))), "the collège's organization and caller");
            Assert.That((Text(ticket, "urgency"), Text(ticket, "origin"), Text(ticket, "status")), Is.EqualTo(("2", "portal", "new")));
            var description = ticket["description"]!.GetValue<string>();
            Assert.That(description, Does.Contain($"[{reference}]").And.Contain("Claire Dubois").And.Contain("claire.dubois@0931234x.example.fr"),
                "the hub reference and the requester's name and e-mail");
            Assert.That(description, Does.Contain("« tout essayé » : câble &amp; télécommande"), "the collège's words, encoded once");
        });
    }

    [Test]
    public async Task A_request_lands_in_UserRequest_as_a_service_request()
    {
        var hub = await RealHubs.ItopAsync();
        var title = Title("demande");

        var (id, _) = await hub.SubmitAsync(RealToolHub.TicketBody(title, type: "request"));
        var key = await hub.WaitForwardedAsync(id);

        var ticket = await ReadAsync("UserRequest", key, "title,request_type,org_id");
        Assert.That((ticket["title"]!.GetValue<string>(), Text(ticket, "request_type")), Is.EqualTo((title, "service_request")));
        Assert.That(Text(ticket, "org_id"), Is.EqualTo(Id(PeerTools.Itop.Org("0931234X").OrgId)));
    }

    [Test]
    public async Task A_ticket_routed_to_iTop_again_after_a_reroute_stays_one_incident_told_both_times()
    {
        var hub = await RealHubs.ItopAsync();
        var marker = Guid.NewGuid().ToString("N");
        var (id, _) = await hub.SubmitAsync(RealToolHub.TicketBody($"Réel iTop aller-retour {marker}"));
        var key = await hub.WaitForwardedAsync(id);

        await hub.PostAsAsync("dispatcher", $"/api/v1/tickets/{id}/reroute", new { target = "pass", reason = "Op@le : le Rectorat." });
        await EventuallyAsync(() => _itop.MessagesAsync(key), found => found.Any(message => message.StartsWith("Demande réorientée", StringComparison.Ordinal)), "the note that it went away");
        // Sent back to iTop: the classifier publishes a second TicketRouted for the same ticket.
        await hub.PostAsAsync("dispatcher", $"/api/v1/tickets/{id}/reroute", new { target = "infogerant", tool = "itop", reason = "Erreur : c'est bien l'infogérant." });
        var messages = await EventuallyAsync(() => _itop.MessagesAsync(key), found => found.Any(message => message.StartsWith("Demande de nouveau confiée", StringComparison.Ordinal)), "the note that it came back");
        var back = await hub.WaitForTicketAsync(id, ticket => ticket["route"]?["target"]?.GetValue<string>() == "infogerant" && Status(ticket) == "forwarded");

        Assert.That(back["external"]!["id"]!.GetValue<string>(), Is.EqualTo(key), "the same incident");
        Assert.That(await _itop.TicketsTitledAsync(marker), Is.EqualTo(new[] { key }), "one incident in iTop");
        Assert.That(messages.Count(message => message.StartsWith("Demande de nouveau confiée", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task An_incident_iTop_created_while_the_connector_died_is_found_again_after_the_restart_and_not_created_twice()
    {
        var hub = await RealHubs.ItopAsync();
        var marker = Guid.NewGuid().ToString("N");
        var held = hub.Proxy.Hold(request => _itop.IsTicketCreation(request) && request.Body.Contains(marker, StringComparison.Ordinal));

        var (id, _) = await hub.SubmitAsync(RealToolHub.TicketBody($"Réel iTop panne {marker}"));
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(90));
        var created = JsonNode.Parse(held.ToolBody)!["objects"]!.AsObject().Single().Value!["key"]!.ToString();
        hub.KillConnector();
        held.Drop();
        Assert.That(await _itop.TicketsTitledAsync(marker), Is.EqualTo(new[] { created }), "iTop holds the incident; the connector never heard of it");
        await hub.StartConnectorAsync();

        Assert.That(await hub.WaitForwardedAsync(id), Is.EqualTo(created), "the restarted connector found it by its reference");
        Assert.That(await _itop.TicketsTitledAsync(marker), Has.Count.EqualTo(1), "one incident in iTop");
    }

    [Test]
    public async Task A_file_iTop_attached_while_the_connector_died_is_attached_once()
    {
        var hub = await RealHubs.ItopAsync();
        var marker = Guid.NewGuid().ToString("N");
        var fileName = $"releve-baie-{marker}.txt";
        var held = hub.Proxy.Hold(request => _itop.IsDocumentUpload(request) && request.Body.Contains(marker, StringComparison.Ordinal));

        var (id, _) = await hub.SubmitWithFileAsync(RealToolHub.TicketBody($"Réel iTop fichier {marker}"), fileName, Encoding.UTF8.GetBytes($"Relevé de la baie {marker}"), "text/plain");
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(90));
        hub.KillConnector();
        held.Drop();
        var restartedAt = DateTimeOffset.UtcNow;
        await hub.StartConnectorAsync();
        var key = await hub.WaitForwardedAsync(id);

        // The restarted connector looks the file up before it would upload it again.
        await EventuallyAsync(() => Task.FromResult(hub.Proxy.Seen), seen => seen.Any(request => request.At > restartedAt && IsAttachmentLookup(request, key)), "the lookup of the file");
        var documents = await EventuallyAsync(() => _itop.DocumentsAsync(key), found => found.Count > 0, "the file in iTop");
        Assert.That(documents.Select(document => document.FileName), Is.EqualTo(new[] { fileName }), "attached once");
        Assert.That(hub.Proxy.Seen.Count(request => _itop.IsDocumentUpload(request) && request.Body.Contains(marker, StringComparison.Ordinal)), Is.EqualTo(1), "uploaded once");
        using var itop = new RealItopClient();
        var attachment = (await itop.GetAsync("Attachment", $"SELECT Attachment WHERE id = {documents[0].Id}", "item_class"))[0];
        Assert.That(Text(attachment, "item_class"), Is.EqualTo("Incident"));
    }

    [Test]
    public async Task The_technician_assignment_reply_and_solution_reach_intake_as_text_the_college_can_read()
    {
        var hub = await RealHubs.ItopAsync();
        var (id, _) = await hub.SubmitAsync(RealToolHub.TicketBody(Title("suivi")));
        var key = await hub.WaitForwardedAsync(id);

        await _itop.TakeInHandAsync(key);
        await hub.WaitForTicketAsync(id, ticket => Status(ticket) == "in-progress");
        await _itop.ReplyAsync(key, "<p>Bonjour,</p><p>je passe <strong>jeudi</strong> :</p><ul><li>salle 12</li><li>salle 14 &amp; CDI</li></ul>");
        await _itop.ResolveAsync(key, "<p>VPI remplacé.</p><p>Merci de vérifier l'image &lt;HDMI&gt;.</p>");
        var resolved = await hub.WaitForTicketAsync(id, ticket => Status(ticket) == "resolved");

        var replies = Replies(resolved);
        Assert.That(replies, Does.Contain("Bonjour,\n\nje passe jeudi :\n\n- salle 12\n- salle 14 & CDI"), "the reply, as text with its list");
        Assert.That(replies, Does.Contain("VPI remplacé.\n\nMerci de vérifier l'image <HDMI>."), "the solution, as text");
        Assert.That(replies.Any(reply => reply.Contains('<', StringComparison.Ordinal) && reply.Contains("</", StringComparison.Ordinal)), Is.False, "no HTML reaches the collège");
    }

    [Test]
    public async Task The_college_comment_reaches_the_public_log_once_and_never_comes_back_as_a_reply()
    {
        var hub = await RealHubs.ItopAsync();
        var (id, reference) = await hub.SubmitAsync(RealToolHub.TicketBody(Title("commentaire")));
        var key = await hub.WaitForwardedAsync(id);
        var comment = $"Le VPI de la salle 14 est touché aussi <depuis hier> & ce matin ({reference}).";

        await hub.PostAsAsync("college", $"/api/v1/tickets/{id}/comments", new { text = comment });
        var messages = await EventuallyAsync(() => _itop.MessagesAsync(key), found => found.Any(message => message.Contains(comment, StringComparison.Ordinal)), "the comment in iTop");
        // A later reply that reaches the hub proves the sync has read past the comment.
        await _itop.ReplyAsync(key, "<p>Bien noté.</p>");
        var ticket = await hub.WaitForTicketAsync(id, t => Replies(t).Contains("Bien noté."));

        Assert.That(messages.Count(message => message.Contains(comment, StringComparison.Ordinal)), Is.EqualTo(1), "written once");
        Assert.That(Replies(ticket).Any(reply => reply.Contains(comment, StringComparison.Ordinal)), Is.False, "never echoed back as a reply");
    }

    [Test]
    public async Task A_reroute_away_from_iTop_leaves_one_note_in_the_public_log()
    {
        var hub = await RealHubs.ItopAsync();
        var (id, _) = await hub.SubmitAsync(RealToolHub.TicketBody(Title("réorientation")));
        var key = await hub.WaitForwardedAsync(id);

        await hub.PostAsAsync("dispatcher", $"/api/v1/tickets/{id}/reroute", new { target = "pass", reason = "Application Op@le : c'est le Rectorat <PASS> & non l'infogérant." });

        var messages = await EventuallyAsync(() => _itop.MessagesAsync(key), found => found.Any(message => message.StartsWith("Demande réorientée", StringComparison.Ordinal)), "the note in iTop");
        Assert.That(messages.Single(message => message.StartsWith("Demande réorientée", StringComparison.Ordinal)),
            Does.Contain("Raison : Application Op@le : c'est le Rectorat <PASS> & non l'infogérant."));
    }

    private static bool IsAttachmentLookup(ProxiedRequest request, string key) =>
        request.Body.Contains("core%2Fget", StringComparison.Ordinal) && request.Body.Contains("Attachment", StringComparison.Ordinal)
        && Uri.UnescapeDataString(request.Body.Replace('+', ' ')).Contains($"item_id = {key}", StringComparison.Ordinal);

    private static string Title(string what) => $"Réel iTop {what} {Guid.NewGuid():N}";

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Text(JsonObject fields, string name) => fields[name]!.ToString();

    private static string Status(JsonObject ticket) => ticket["status"]!.GetValue<string>();

    /// <summary>What intake shows the collège as the technician's words (replies and the solution).</summary>
    private static List<string> Replies(JsonObject ticket) =>
        [.. ticket["timeline"]!.AsArray().Select(e => e!.AsObject()).Where(e => e["kind"]!.GetValue<string>() == "reply").Select(e => e["text"]!.GetValue<string>())];

    private static async Task<JsonObject> ReadAsync(string className, string key, string fields)
    {
        using var itop = new RealItopClient();
        var found = await itop.GetAsync(className, $"SELECT {className} WHERE id = {key}", fields);
        Assert.That(found, Has.Count.EqualTo(1), $"{className}::{key} in iTop");
        return found[0];
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"never happened: {what}");
            }

            await Task.Delay(300);
        }
    }
}
