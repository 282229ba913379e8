using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static TicketHub.EndToEnd.Tests.HubSystem;

namespace TicketHub.EndToEnd.Tests;

/// <summary>
/// One ticket to each tool through the gateway and RabbitMQ, then a change made in that tool comes
/// back to <c>GET /api/v1/tickets/{id}</c>: PASS over the hub's contract (the sandbox), Omère by the
/// manual relay queue and its operator's report, iTop (the sandbox) after a dispatcher's re-route,
/// GLPI (WireMock) through its search for changed tickets. The hub is asserted through the gateway
/// only; the tools' side is driven through the sandbox's script endpoints or WireMock.
/// </summary>
[NonParallelizable]
public class ToolJourneyTests
{
    /// <summary>Omère's operator and the Pôle TIE's dispatcher act with their role's sandbox key.</summary>
    private const string Operator = "omere";
    private const string Dispatcher = "dispatcher";

    private static readonly TimeSpan Journey = TimeSpan.FromSeconds(60);

    [Test]
    public async Task PASS_ticket_is_created_once_its_status_and_reply_come_back_and_the_colleges_comment_goes_out_once()
    {
        var (id, reference) = await SubmitAsync(TicketBody(uai: "0931235A", zone: "ZA", category: "poste-administratif"));

        var forwarded = await WaitForTicketAsync(id, t => Status(t) == "forwarded", Journey);
        Assert.That(forwarded["route"]!["rule"]!.GetValue<string>(), Is.EqualTo("R7"), "ZA of a collège not taken over");
        Assert.That(forwarded["external"]!["tool"]!.GetValue<string>(), Is.EqualTo("pass"));
        var passId = forwarded["external"]!["id"]!.GetValue<string>();
        var inPass = await Tools.PassTicketsForAsync(reference);
        Assert.That(inPass, Has.Count.EqualTo(1), "exactly one PASS ticket for this reference");
        Assert.That(inPass[0]["id"]!.GetValue<string>(), Is.EqualTo(passId), "the hub shows PASS's own number");

        var reply = $"Nous réinstallons le poste de la vie scolaire demain matin ({reference}).";
        await Tools.PassStatusAsync(passId, "assigned");
        await Tools.PassReplyAsync(passId, reply);
        var assigned = await WaitForTicketAsync(id, t => Status(t) == "in-progress" && Replies(t).Contains(reply), Journey);
        Assert.That(Replies(assigned).Count(text => text == reply), Is.EqualTo(1));

        var comment = $"Le poste affiche maintenant un écran bleu ({reference}).";
        using (var posted = await Client.PostAsJsonAsync($"/api/v1/tickets/{id}/comments", new { text = comment }))
        {
            Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await posted.Content.ReadAsStringAsync());
        }

        var withComment = await EventuallyAsync(
            async () => (await Tools.PassTicketsForAsync(reference)).Single(),
            ticket => Messages(ticket).Any(m => m["body"]!.GetValue<string>() == comment),
            "the collège's comment on the PASS ticket");
        var copies = Messages(withComment).Where(m => m["body"]!.GetValue<string>() == comment).ToList();
        Assert.That(copies, Has.Count.EqualTo(1), "the comment is added to PASS once");
        Assert.That(copies[0]["hubMessageId"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, "PASS knows it came from the hub");

        // A later reply that reaches the hub proves the sync has read past the comment.
        var later = $"Intervention confirmée pour demain 9 h ({reference}).";
        await Tools.PassReplyAsync(passId, later);
        var ticket = await WaitForTicketAsync(id, t => Replies(t).Contains(later), Journey);
        var about = Timeline(ticket).Where(e => e["text"]?.GetValue<string>() == comment).ToList();
        Assert.That(about, Has.Count.EqualTo(1), "the comment is in the timeline once: " + ticket["timeline"]!.ToJsonString());
        Assert.That(about[0]["kind"]!.GetValue<string>(), Is.EqualTo("comment"), "never echoed back as a reply");
        Assert.That(await Tools.PassTicketsForAsync(reference), Has.Count.EqualTo(1), "still one PASS ticket");
    }

    [Test]
    public async Task Omere_ticket_in_manual_mode_waits_in_the_relay_queue_is_confirmed_once_and_resolved_by_its_operator()
    {
        var body = TicketBody(zone: "ZA", category: "poste-administratif");
        body["buildingImpact"] = true;
        body["title"] = "Fuite d'eau au plafond de la salle 12";
        var (id, reference) = await SubmitAsync(body);

        var items = await EventuallyAsync(
            async () => RelayItemsFor(await Client.GetFromJsonAsync<JsonObject>("/api/v1/relay?tool=omere&queue=UT1"), reference),
            found => found.Count > 0,
            "the ticket in Omère's relay queue for UT1");
        Assert.That(items, Has.Count.EqualTo(1), "one relay item per ticket");
        var item = items[0];
        var routed = await Client.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(item["subject"]!.GetValue<string>(), Is.EqualTo($"[{reference}] Fuite d'eau au plafond de la salle 12"));
            Assert.That(item["kind"]!.GetValue<string>(), Is.EqualTo("ticket"));
            Assert.That(item["queue"]!.GetValue<string>(), Is.EqualTo("UT1"), "the collège's UT");
            Assert.That(routed!["route"]!["rule"]!.GetValue<string>(), Is.EqualTo("R1"));
            Assert.That(Status(routed), Is.EqualTo("routed"), "not forwarded before an operator confirms");
        });

        var itemId = item["itemId"]!.GetValue<string>();
        var acknowledged = await PostAsUserAsync($"/api/v1/relay/{itemId}/ack", Operator, new { externalId = "OM-4242" });
        Assert.That(acknowledged["state"]!.GetValue<string>(), Is.EqualTo("acknowledged"));
        var forwarded = await WaitForTicketAsync(id, t => Status(t) == "forwarded", Journey);
        Assert.That(forwarded["external"]!["tool"]!.GetValue<string>(), Is.EqualTo("omere"));
        Assert.That(forwarded["external"]!["id"]!.GetValue<string>(), Is.EqualTo("OM-4242"));

        var again = await PostAsUserAsync($"/api/v1/relay/{itemId}/ack", Operator, new { externalId = "OM-4242" });
        Assert.That(again["acknowledgement"]!["externalId"]!.GetValue<string>(), Is.EqualTo("OM-4242"));
        var pending = await Client.GetFromJsonAsync<JsonObject>("/api/v1/relay?tool=omere&queue=UT1");
        Assert.That(RelayItemsFor(pending, reference), Is.Empty, "nothing left to enter for this ticket");

        var reply = $"Plombier passé, fuite colmatée ({reference}).";
        await PostAsUserAsync($"/api/v1/tickets/{id}/external-updates", Operator, new { status = "resolved", reply });
        var resolved = await WaitForTicketAsync(id, t => Status(t) == "resolved", Journey);
        Assert.Multiple(() =>
        {
            Assert.That(Replies(resolved), Does.Contain(reply));
            Assert.That(resolved["external"]!["id"]!.GetValue<string>(), Is.EqualTo("OM-4242"));
            Assert.That(History(resolved).Count(status => status == "forwarded"), Is.EqualTo(1), "forwarded once, however many confirmations");
        });
    }

    [Test]
    public async Task Triage_ticket_rerouted_to_iTop_is_created_there_once_and_its_status_and_public_log_come_back()
    {
        var (id, reference) = await SubmitAsync(NamingNoEquipment(TicketBody(zone: null, category: "reseau")));
        await WaitForTicketAsync(id, t => Status(t) == "triage", Journey);

        await PostAsUserAsync($"/api/v1/tickets/{id}/reroute", Dispatcher,
            new { target = "infogerant", tool = "itop", reason = "Prise réseau de la salle 12 : l'infogérant la suit dans iTop." });
        var forwarded = await WaitForTicketAsync(id, t => Status(t) == "forwarded", Journey);
        Assert.That(forwarded["route"]!["rule"]!.GetValue<string>(), Is.EqualTo("MANUAL"));
        Assert.That(forwarded["external"]!["tool"]!.GetValue<string>(), Is.EqualTo("itop"));
        var itopId = forwarded["external"]!["id"]!.GetValue<string>();
        var inItop = await Tools.ItopRequestsForAsync(reference);
        Assert.That(inItop, Has.Count.EqualTo(1), "exactly one iTop request with this reference");
        Assert.That(inItop[0]["id"]!.GetValue<string>(), Is.EqualTo(itopId));
        Assert.That(Glpi.CreationsFor(reference), Is.Empty, "nothing in GLPI");

        var reply = $"Technicien affecté, passage jeudi matin ({reference}).";
        await Tools.ItopStimulusAsync(itopId, "ev_assign");
        await Tools.ItopReplyAsync(itopId, reply);
        var assigned = await WaitForTicketAsync(id, t => Status(t) == "in-progress" && Replies(t).Contains(reply), Journey);
        Assert.That(Replies(assigned).Count(text => text == reply), Is.EqualTo(1));
    }

    [Test]
    public async Task GLPI_ticket_assigned_by_a_technician_shows_in_progress()
    {
        var (id, reference) = await SubmitAsync(TicketBody());
        var forwarded = await WaitForTicketAsync(id, t => Status(t) == "forwarded", Journey);
        var glpiId = int.Parse(forwarded["external"]!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        Glpi.TechnicianChanges(glpiId, reference, status: 2);

        var assigned = await WaitForTicketAsync(id, t => Status(t) == "in-progress", Journey);
        Assert.That(History(assigned), Does.Contain("in-progress"));
        Assert.That(Glpi.CreationsFor(reference), Has.Count.EqualTo(1));
    }

    private static string Status(JsonObject ticket) => ticket["status"]!.GetValue<string>();

    private static IEnumerable<JsonObject> Timeline(JsonObject ticket) => ticket["timeline"]!.AsArray().Select(e => e!.AsObject());

    private static List<string> Replies(JsonObject ticket) =>
        Timeline(ticket).Where(e => e["kind"]!.GetValue<string>() == "reply").Select(e => e["text"]!.GetValue<string>()).ToList();

    private static IEnumerable<string> History(JsonObject ticket) => ticket["history"]!.AsArray().Select(h => h!["status"]!.GetValue<string>());

    private static IEnumerable<JsonObject> Messages(JsonObject toolTicket) => toolTicket["messages"]!.AsArray().Select(m => m!.AsObject());

    private static List<JsonObject> RelayItemsFor(JsonObject? page, string reference) =>
        page!["items"]!.AsArray().Select(i => i!.AsObject()).Where(i => i["reference"]!.GetValue<string>() == reference).ToList();

    /// <summary>POST with the API key of <paramref name="role"/>; 200 expected.</summary>
    private static async Task<JsonObject> PostAsUserAsync(string path, string role, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        using var response = await Client.SendAsync(request.As(role));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"POST {path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Reads until <paramref name="done"/>, for at most <see cref="Journey"/>.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Journey;
        var last = await read();
        while (!done(last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            last = await read();
        }

        if (!done(last))
        {
            Assert.Fail($"Never saw {what} within {Journey.TotalSeconds} s.\n{Logs()}");
        }

        return last;
    }
}
