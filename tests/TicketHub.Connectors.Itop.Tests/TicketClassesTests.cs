using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// iTop 3.2 with the ITIL modules keeps incidents in the class Incident and service requests in
/// UserRequest; a "simple ticket" install keeps both in UserRequest. The connector creates each
/// ticket in the right class, remembers it, and follows, comments and finds it there.
/// </summary>
public sealed class TicketClassesTests
{
    private static FakeItop Itop => ItopServers.Itop;

    private ConnectorApp _app = null!;
    private ITestHarness _harness = null!;

    [SetUp]
    public void SetUp() => Itop.Reset();

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    [Test]
    public async Task Creates_an_incident_in_the_class_Incident_without_request_type_and_links_to_its_page()
    {
        Start();
        Itop.CreatesRequest(15);
        var routed = TestTickets.Routed(type: "incident");

        await _harness.Bus.Publish(routed);

        var forwarded = await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId);
        Assert.That(forwarded.ExternalUrl, Is.EqualTo("https://itop.example/pages/UI.php?operation=details&class=Incident&id=15"));
        var created = FakeItop.JsonData(Itop.Requests("core/create").Single());
        Assert.That(created["class"]!.GetValue<string>(), Is.EqualTo("Incident"));
        Assert.That(created["fields"]!.AsObject().ContainsKey("request_type"), Is.False, "Incident has no request_type");
        Assert.That(await _app.ItopClassAsync(routed.TicketId), Is.EqualTo("Incident"));
    }

    [Test]
    public async Task Asks_iTop_once_whether_it_has_the_class_Incident_and_sends_incidents_there()
    {
        Start(new() { ["Itop:TicketClasses"] = "auto" });
        Itop.Finds();
        Itop.CreatesRequest(15);
        var first = TestTickets.Routed(type: "incident");
        var second = TestTickets.Routed(reference: "TH-2026-000043", type: "request");

        await _harness.Bus.Publish(first);
        await _harness.PublishedForAsync<TicketForwarded>(first.TicketId);
        await _harness.Bus.Publish(second);
        await _harness.PublishedForAsync<TicketForwarded>(second.TicketId);

        var probes = Itop.Requests("core/get", "Incident").Select(FakeItop.Oql).Where(oql => !oql.Contains("id IN", StringComparison.Ordinal));
        Assert.That(probes, Is.EqualTo(new[] { "SELECT Incident WHERE id = 0" }), "asked once, with a query that matches nothing (the others are the sync's)");
        Assert.That(Itop.Requests("core/create").Select(call => FakeItop.JsonData(call)["class"]!.GetValue<string>()), Is.EqualTo(new[] { "Incident", "UserRequest" }));
        Assert.That(_app.Logs.Lines, Has.Some.Contains("iTop install detected (Itop:TicketClasses auto): ITIL"));
    }

    [Test]
    public async Task Keeps_incidents_in_UserRequest_where_iTop_has_no_class_Incident()
    {
        Start(new() { ["Itop:TicketClasses"] = "auto" });
        Itop.Server.Given(FakeItop.Call("core/get", "Incident"))
            .RespondWith(FakeItop.Json(new JsonObject { ["code"] = 100, ["message"] = "Error: class: 'Incident' is not a valid class'" }));
        // This WireMock iTop refuses request_type incident as the ITIL one does: answer it as a simple install would.
        Itop.Server.Given(FakeItop.Call("core/create")).AtPriority(FakeItop.RefusalPriority - 1).RespondWith(FakeItop.Json(FakeItop.CreatedAnswer(15)));
        var routed = TestTickets.Routed(type: "incident");

        await _harness.Bus.Publish(routed);

        await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId);
        var created = FakeItop.JsonData(Itop.Requests("core/create").Single());
        Assert.That((created["class"]!.GetValue<string>(), created["fields"]!["request_type"]!.GetValue<string>()), Is.EqualTo(("UserRequest", "incident")));
        Assert.That(_app.Logs.Lines, Has.Some.Contains("iTop install detected (Itop:TicketClasses auto): simple tickets"));
    }

    [Test]
    public async Task Reports_in_iTop_own_words_an_incident_refused_by_an_ITIL_iTop_configured_as_simple()
    {
        Start(new() { ["Itop:TicketClasses"] = "simple" });
        Itop.CreatesRequest(15);
        var routed = TestTickets.Routed(type: "incident");

        await _harness.Bus.Publish(routed);

        var failed = await _harness.PublishedForAsync<TicketForwardingFailed>(routed.TicketId);
        Assert.That(failed.Reason, Is.EqualTo($"iTop a refusé la demande (code 100) : {FakeItop.IncidentRequestTypeRefusal}"));
    }

    [TestCase(100, "Error: Query failed to execute")]
    [TestCase(1, "Error: The current user does not have enough permissions for reading data of class Ticket")]
    public async Task Never_takes_a_lookup_iTop_refused_for_not_found_nor_for_a_refusal_of_the_ticket(int code, string message)
    {
        Start();
        Itop.Server.Given(FakeItop.Call("core/get", "Ticket")).RespondWith(FakeItop.Json(new JsonObject { ["code"] = code, ["message"] = message }));
        Itop.CreatesRequest(99);
        var routed = TestTickets.Routed();
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);

        await _harness.Bus.Publish(routed);

        await Eventually.TrueAsync(() => _app.Logs.Lines.Any(line => line.Contains("iTop could not say whether it holds ticket TH-2026-000042", StringComparison.Ordinal)), "the lookup failed");
        Assert.That(Itop.Requests("core/create"), Is.Empty, "whether iTop holds the ticket is unknown: nothing is created");
        Assert.That(_harness.Published.Select<TicketForwardingFailed>().Any(), Is.False, "nor is the ticket reported refused");
        Assert.That((await _app.ExternalTicketAsync(routed.TicketId))?.State, Is.EqualTo("creating"));
    }

    [Test]
    public async Task Never_takes_an_answer_that_found_tickets_but_lists_none_for_not_found()
    {
        Start();
        Itop.Server.Given(FakeItop.Call("core/get", "Ticket")).RespondWith(FakeItop.Json(new JsonObject { ["code"] = 0, ["message"] = "Found: 1", ["objects"] = null }));
        Itop.CreatesRequest(99);
        var routed = TestTickets.Routed();
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);

        await _harness.Bus.Publish(routed);

        await Eventually.TrueAsync(() => _app.Logs.Lines.Any(line => line.Contains("with 'Found: 1' but 0 object(s)", StringComparison.Ordinal)), "the answer was not trusted");
        Assert.That(Itop.Requests("core/create"), Is.Empty);
    }

    [Test]
    public async Task Reuses_the_incident_an_earlier_attempt_created_and_remembers_its_class()
    {
        Start();
        var routed = TestTickets.Routed(type: "incident");
        var incident = FakeItop.UserRequest(77, description: $"<p>Référence TicketHub <strong>[{routed.Reference}]</strong> (identifiant {routed.TicketId:D}).</p>");
        incident["finalclass"] = "Incident";
        Itop.Finds(incident);
        Itop.CreatesRequest(99);
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);

        await _harness.Bus.Publish(routed);

        var forwarded = await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId);
        Assert.That((forwarded.ExternalId, forwarded.ExternalUrl), Is.EqualTo(("77", "https://itop.example/pages/UI.php?operation=details&class=Incident&id=77")));
        Assert.That(Itop.Requests("core/create"), Is.Empty);
        Assert.That(FakeItop.JsonData(Itop.Requests("core/get", "Ticket").Single())["output_fields"]!.GetValue<string>(), Is.EqualTo("id,ref,finalclass,last_update,description"));
        Assert.That(await _app.ItopClassAsync(routed.TicketId), Is.EqualTo("Incident"));
    }

    [Test]
    public async Task Writes_the_college_comment_in_the_public_log_of_the_incident()
    {
        Start();
        Itop.AcceptsLogEntries();
        var routed = TestTickets.Routed(type: "incident");
        await _app.RecordCreatedAsync(routed.TicketId, routed.Reference, 15, itopClass: "Incident");

        await _harness.Bus.Publish(TestTickets.Comment(routed, "Toujours en panne <ce matin> & hier."));

        await Eventually.TrueAsync(() => Itop.Requests("core/update").Count > 0, "the comment reached iTop");
        var update = FakeItop.JsonData(Itop.Requests("core/update").Single());
        Assert.That((update["class"]!.GetValue<string>(), update["key"]!.GetValue<int>()), Is.EqualTo(("Incident", 15)));
        var item = update["fields"]!["public_log"]!["add_item"]!;
        Assert.That((item["message"]!.GetValue<string>(), item["format"]!.GetValue<string>()), Is.EqualTo((
            "<p>Message du collège (Claire Martin), via TicketHub :<br>Toujours en panne &lt;ce matin&gt; &amp; hier.</p>", "html")));
        await Eventually.TrueAsync(async () => (await _app.HubEntriesAsync(routed.TicketId)).Count == 1, "recorded as the hub's own entry");
    }

    [Test]
    public async Task Follows_incidents_and_requests_each_in_its_class_and_reads_what_the_real_iTop_returns_as_text()
    {
        Start();
        var incident = Guid.NewGuid();
        var request = Guid.NewGuid();
        // What the real iTop 3.2 answered for an incident resolved by a technician (December 2026).
        var resolved = JsonNode.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "RealItop", "incident-resolved.json")))!.AsObject();
        Itop.Server.Given(FakeItop.Call("core/get", "Incident")).RespondWith(FakeItop.Json(resolved));
        Itop.Server.Given(FakeItop.Call("core/get", "UserRequest")).RespondWith(FakeItop.Json(FakeItop.Found(FakeItop.UserRequest(15, "new", "2024-11-20 10:15:03"))));
        await _app.RecordCreatedAsync(request, "TH-2026-000042", 15);
        await _app.RecordCreatedAsync(incident, "TH-2026-000043", 9, status: "assigned", itopClass: "Incident");

        await Eventually.TrueAsync(() => _harness.Published.Select<ExternalTicketUpdated>().Count() >= 2, "the reply and the resolution");

        var polls = Itop.Requests("core/get").Take(2).Select(FakeItop.Oql);
        Assert.That(polls, Is.EquivalentTo(new[] { "SELECT Incident WHERE id IN (9)", "SELECT UserRequest WHERE id IN (15)" }));
        var updates = _harness.Published.Select<ExternalTicketUpdated>().Select(message => message.Context.Message).ToList();
        Assert.That(updates.Select(update => (update.TicketId, update.Status, update.ReplyText)), Is.EqualTo(new[]
        {
            (incident, (string?)null, (string?)"Je passe jeudi.\nPrévoir l'accès à la baie <B12>."),
            (incident, HubStatuses.Resolved, "Prise réparée :\n\n- câble remplacé\n- port 12 testé\n\nBonne journée & à bientôt."),
        }));
    }

    private void Start(Dictionary<string, string?>? settings = null)
    {
        _app = new ConnectorApp(settings);
        _harness = _app.Services.GetTestHarness();
    }
}
