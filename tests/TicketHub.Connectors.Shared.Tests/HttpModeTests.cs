using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using TicketHub.Connectors.Shared.Sync;
using TicketHub.Contracts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>PASS in http mode: the whole connector, a TicketRouted on the bus, the tool (WireMock) answering.</summary>
public sealed class HttpModeTests
{
    private FakeTool _tool = null!;
    private ConnectorApp<Program> _app = null!;

    [OneTimeSetUp]
    public void StartTool() => _tool = new FakeTool();

    [OneTimeTearDown]
    public void StopTool() => _tool.Dispose();

    [SetUp]
    public void SetUp()
    {
        _tool.Reset();
        _app = NewApp();
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    private ConnectorApp<Program> NewApp(string? directory = null) => new("Pass", new Dictionary<string, string?>
    {
        ["Pass:Delivery"] = "http",
        ["Pass:Http:BaseUrl"] = _tool.ApiUrl,
        ["Pass:Http:ApiToken"] = FakeTool.Token,
        ["Pass:Sync:PageSize"] = "2",
    }, directory);

    [Test]
    public async Task Creates_the_ticket_with_the_contract_payload_and_announces_its_number_and_link()
    {
        var routed = TestTickets.Routed(flags: [RouteFlags.DatAmiante]);
        _tool.Creates("2026-000123", routed.Reference);

        await _app.Harness.Bus.Publish(routed);

        var forwarded = await PublishedAsync<TicketForwarded>(routed.TicketId);
        Assert.That(forwarded, Is.EqualTo(forwarded with { Tool = "pass", ExternalId = "2026-000123", ExternalUrl = "https://tool.example/tickets/2026-000123" }));
        var create = _tool.Creations.Single().RequestMessage;
        Assert.That(create.Headers!["Authorization"].Single(), Is.EqualTo("Bearer " + FakeTool.Token));
        var expected = JsonNode.Parse("""
            {
              "reference": "TH-2026-000042",
              "title": "Pronote refuse les connexions",
              "description": "Depuis lundi « erreur 500 » <b>.\nAucun professeur ne peut saisir les notes.",
              "category": "application-metier",
              "type": "incident",
              "urgency": "high",
              "location": "Salle 12, bâtiment B",
              "flags": ["dat-amiante"],
              "college": { "uai": "0931234X", "name": "Collège Jean Moulin", "commune": "Montreuil", "ut": "UT2" },
              "requester": { "name": "Claire Martin", "email": "claire.martin@ac-creteil.fr", "phone": "01 48 00 00 00" },
              "routing": { "rule": "R7", "explanation": "Le collège n'est pas encore repris : le Rectorat reste compétent." },
              "createdAt": "2024-11-20T09:15:00+00:00"
            }
            """);
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(create.Body!), expected), Is.True, create.Body);
        Assert.That(_tool.Lookups, Is.Empty, "a first attempt has nothing to look up");
        Assert.That(await _app.RowAsync(routed.TicketId), Is.EqualTo(("created", "2026-000123", 1L, "new")));
    }

    [Test]
    public async Task Creates_the_ticket_once_when_the_message_is_delivered_twice()
    {
        var routed = TestTickets.Routed();
        _tool.Creates("2026-000123", routed.Reference);
        var messageId = NewId.NextGuid();

        await _app.Harness.Bus.Publish(routed, context => context.MessageId = messageId);
        await PublishedAsync<TicketForwarded>(routed.TicketId);
        await _app.Harness.Bus.Publish(routed, context => context.MessageId = messageId);

        await Eventually.TrueAsync(() => _app.Logs.Lines.Any(line => line.Contains("Ticket TH-2026-000042 already delivered to PASS as 2026-000123; nothing to do", StringComparison.Ordinal)),
            "the second delivery was recognised");
        Assert.That(_tool.Creations, Has.Count.EqualTo(1));
        Assert.That(_app.Harness.Published.Select<TicketForwarded>().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task After_a_server_error_looks_the_reference_up_then_creates_the_ticket_once()
    {
        var routed = TestTickets.Routed();
        _tool.Server.Given(FakeTool.Create()).InScenario("create").WillSetStateTo("failed once")
            .RespondWith(FakeTool.Problem(500, "Base indisponible"));
        _tool.Server.Given(FakeTool.Create()).InScenario("create").WhenStateIs("failed once")
            .RespondWith(FakeTool.Json(FakeTool.Ticket("2026-000124", routed.Reference), 201));
        _tool.FindsNothing(routed.Reference);

        await _app.Harness.Bus.Publish(routed);

        Assert.That((await PublishedAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("2026-000124"));
        Assert.That(_tool.Creations, Has.Count.EqualTo(2), "the failed POST is not repeated by the HTTP client; the message is retried");
        Assert.That(_tool.Lookups, Has.Count.EqualTo(1), "the retry asked first whether the failed POST had created the ticket");
        Assert.That(_tool.Lookups[0].RequestMessage.DateTime, Is.GreaterThan(_tool.Creations[0].RequestMessage.DateTime));
    }

    [Test]
    public async Task A_creation_that_timed_out_but_succeeded_is_found_and_not_made_twice()
    {
        // The tool creates the ticket but answers after the connector gave up (timeout 2 s here).
        var routed = TestTickets.Routed();
        _tool.Server.Given(FakeTool.Create()).InScenario("slow").WillSetStateTo("created")
            .RespondWith(FakeTool.Json(FakeTool.Ticket("2026-000125", routed.Reference), 201).WithDelay(TimeSpan.FromSeconds(2.5)));
        _tool.Server.Given(FakeTool.Lookup(routed.Reference)).InScenario("slow").WhenStateIs("created")
            .RespondWith(FakeTool.Json(FakeTool.Page(null, FakeTool.Ticket("2026-000125", routed.Reference))));

        await _app.Harness.Bus.Publish(routed);

        Assert.That((await PublishedAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("2026-000125"));
        Assert.That(_tool.Creations, Has.Count.EqualTo(1), "no second ticket in the tool");
        Assert.That(_app.Logs.Lines, Has.Some.Contains("Ticket TH-2026-000042 was created in PASS as 2026-000125 by an earlier attempt; reusing it"));
    }

    [Test]
    public async Task Waits_as_long_as_Retry_After_says_when_the_tool_is_busy_then_creates_once()
    {
        var routed = TestTickets.Routed();
        _tool.Server.Given(FakeTool.Create()).InScenario("busy").WillSetStateTo("free")
            .RespondWith(FakeTool.Problem(429, "Trop de requêtes").WithHeader("Retry-After", "2"));
        _tool.Server.Given(FakeTool.Create()).InScenario("busy").WhenStateIs("free")
            .RespondWith(FakeTool.Json(FakeTool.Ticket("2026-000126", routed.Reference), 201));

        await _app.Harness.Bus.Publish(routed);

        Assert.That((await PublishedAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("2026-000126"));
        Assert.That(_tool.Creations, Has.Count.EqualTo(2));
        var gap = _tool.Creations[1].RequestMessage.DateTime - _tool.Creations[0].RequestMessage.DateTime;
        Assert.That(gap, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9)), "the second POST waited for Retry-After");
        Assert.That(_tool.Lookups, Is.Empty, "a 429 says the tool did nothing: the same HTTP call is simply repeated");
    }

    [Test]
    public async Task A_ticket_the_tool_refuses_is_reported_failed_with_the_tools_reason()
    {
        var routed = TestTickets.Routed();
        _tool.Server.Given(FakeTool.Create()).RespondWith(FakeTool.Problem(422, "La catégorie application-metier est inconnue."));

        await _app.Harness.Bus.Publish(routed);

        var failed = await PublishedAsync<TicketForwardingFailed>(routed.TicketId);
        Assert.That(failed.Reason, Is.EqualTo("PASS a refusé le ticket (HTTP 422) : La catégorie application-metier est inconnue."));
        Assert.That((await _app.RowAsync(routed.TicketId))?.State, Is.EqualTo("failed"));
        Assert.That(_tool.Creations, Has.Count.EqualTo(1), "a refusal is not retried");
    }

    [Test]
    public async Task Reuses_the_ticket_an_attempt_that_died_after_creating_it_left_behind()
    {
        var routed = TestTickets.Routed();
        var directory = Path.Combine(Path.GetTempPath(), "tickethub-tests", "connectors-tool-" + Guid.NewGuid().ToString("N"));
        await _app.DisposeAsync();
        _app = NewApp(directory);
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);
        _tool.Server.Given(FakeTool.Lookup(routed.Reference))
            .RespondWith(FakeTool.Json(FakeTool.Page(null, FakeTool.Ticket("2026-000077", routed.Reference, status: "assigned"))));
        _tool.Creates("2026-000099", routed.Reference);

        // The connector was killed between the tool's answer and its own commit: a new instance on
        // the same database receives the redelivered message.
        await _app.DisposeAsync();
        _app = NewApp(directory);
        try
        {
            await _app.Harness.Bus.Publish(routed);

            Assert.That((await PublishedAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("2026-000077"));
            Assert.That(_tool.Creations, Is.Empty);
            Assert.That(await _app.RowAsync(routed.TicketId), Is.EqualTo(("created", "2026-000077", 2L, (string?)null)), "nothing of it seen yet");

            // A technician took it and replied while the connector was down, before the sync's cursor:
            // the list of changes no longer shows it, the sync reads it on its own.
            _tool.Server.Given(FakeTool.Changes()).RespondWith(FakeTool.Json(FakeTool.Page(null)));
            _tool.Server.Given(Request.Create().WithPath("/api/tickets/2026-000077").UsingGet()).RespondWith(FakeTool.Json(
                FakeTool.Ticket("2026-000077", routed.Reference, "assigned", "2024-11-20T10:00:00Z", FakeTool.Message("m9", "Je passe demain matin."))));
            var sync = _app.Get<ToolSync>();
            Assert.That(await sync.PollOnceAsync(CancellationToken.None), Is.EqualTo(2), "its status and its reply");
            Assert.That(await sync.PollOnceAsync(CancellationToken.None), Is.Zero, "read once");
            var updates = _app.Harness.Published.Select<ExternalTicketUpdated>().Select(m => m.Context.Message).Where(u => u.TicketId == routed.TicketId).ToList();
            Assert.That(updates.Select(u => (u.Status, u.ReplyText)), Is.EquivalentTo(new[] { ((string?)"in-progress", (string?)null), (null, "Je passe demain matin.") }));
            Assert.That(await _app.RowAsync(routed.TicketId), Is.EqualTo(("created", "2026-000077", 2L, "assigned")));
        }
        finally
        {
            await _app.DisposeAsync();
            TicketHub.Testing.TempFolder.Delete(directory);
        }
    }

    [Test]
    public async Task Costs_no_call_to_the_tool_when_no_ticket_is_followed()
    {
        var published = await _app.Get<ToolSync>().PollOnceAsync(CancellationToken.None);

        Assert.That(published, Is.Zero);
        Assert.That(_tool.Server.LogEntries, Is.Empty);
    }

    [Test]
    public async Task Reads_changes_across_pages_and_reports_each_new_status_and_reply_once()
    {
        var first = await CreatedAsync("TH-2026-000042", "2026-000201");
        var second = await CreatedAsync("TH-2026-000043", "2026-000202");
        _tool.Server.Given(FakeTool.Changes().WithParam("cursor", WireMock.Matchers.MatchBehaviour.RejectOnMatch)).RespondWith(FakeTool.Json(FakeTool.Page("page-2",
            FakeTool.Ticket("2026-000201", first.Reference, "assigned", "2024-11-20T10:00:00Z",
                FakeTool.Message("m1", "Nous regardons le serveur Pronote.", createdAt: "2024-11-20T10:00:00Z"),
                FakeTool.Message("m2", "Note interne", createdAt: "2024-11-20T10:00:00Z", isPublic: false)),
            FakeTool.Ticket("2026-000999", "TH-2026-000999", "closed", "2024-11-20T10:01:00Z"))));
        _tool.Server.Given(FakeTool.Changes().WithParam("cursor", "page-2")).RespondWith(FakeTool.Json(FakeTool.Page(null,
            FakeTool.Ticket("2026-000202", second.Reference, "solved", "2024-11-20T10:02:00Z",
                FakeTool.Message("m3", "Le collège a ajouté ceci.", role: "hub", createdAt: "2024-11-20T09:50:00Z", hubMessageId: Guid.NewGuid().ToString()),
                FakeTool.Message("m4", "Compte réactivé, c'est réparé.", createdAt: "2024-11-20T10:02:00Z")))));
        var sync = _app.Get<ToolSync>();

        var published = await sync.PollOnceAsync(CancellationToken.None);
        var again = await sync.PollOnceAsync(CancellationToken.None);

        Assert.That(published, Is.EqualTo(4));
        Assert.That(again, Is.Zero, "the overlap reads the same changes again; none is reported twice");
        var updates = _app.Harness.Published.Select<ExternalTicketUpdated>().Select(m => m.Context.Message).ToList();
        Assert.That(updates.Select(u => (u.Reference, u.Status, u.ExternalStatus, u.ReplyText, u.ExternalEventId)), Is.EquivalentTo(new[]
        {
            (first.Reference, (string?)"in-progress", (string?)"assigned", (string?)null, "status:assigned:2024-11-20T10:00:00.0000000+00:00"),
            (first.Reference, null, null, "Nous regardons le serveur Pronote.", "message:m1"),
            (second.Reference, "resolved", "solved", null, "status:solved:2024-11-20T10:02:00.0000000+00:00"),
            (second.Reference, null, null, "Compte réactivé, c'est réparé.", "message:m4"),
        }));
        Assert.That(updates.Where(u => u.ReplyText is not null).Select(u => u.AuthorRole), Is.All.EqualTo("technician"));
        var since = DateTimeOffset.Parse(_tool.Requests("GET", "/api/tickets").Select(e => e.RequestMessage.Query!["updatedSince"].Single()).First(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(since, Is.InRange(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddSeconds(-30)),
            "the first read starts at the first followed ticket's delivery, minus the 30 s overlap");
    }

    [Test]
    public async Task Adds_the_colleges_comment_as_a_message_once_and_never_reports_it_back()
    {
        var routed = await CreatedAsync("TH-2026-000042", "2026-000201");
        var comment = TestTickets.Comment(routed, "2026-000201");
        _tool.Server.Given(Request.Create().WithPath("/api/tickets/2026-000201/messages").UsingPost())
            .RespondWith(FakeTool.Json(FakeTool.Message("m9", comment.Text, role: "hub", hubMessageId: comment.CommentId.ToString()), 201));
        var messageId = NewId.NextGuid();

        await _app.Harness.Bus.Publish(comment, context => context.MessageId = messageId);
        await Eventually.TrueAsync(() => _tool.Requests("POST", "/api/tickets/2026-000201/messages").Count == 1, "the comment reached the tool");
        await _app.Harness.Bus.Publish(comment, context => context.MessageId = messageId);
        await _app.Harness.InactivityTask;

        var post = JsonNode.Parse(_tool.Requests("POST", "/api/tickets/2026-000201/messages").Single().RequestMessage.Body!)!;
        Assert.That(post["hubMessageId"]!.GetValue<string>(), Is.EqualTo(comment.CommentId.ToString()));
        Assert.That(post["body"]!.GetValue<string>(), Is.EqualTo(comment.Text));
        Assert.That(post["authorName"]!.GetValue<string>(), Is.EqualTo("Claire Martin"));

        // The tool lists the message back without its hubMessageId (a tool may drop it): the id the
        // tool gave it is enough to recognise it.
        _tool.Server.Given(FakeTool.Changes()).RespondWith(FakeTool.Json(FakeTool.Page(null,
            FakeTool.Ticket("2026-000201", routed.Reference, "new", "2024-11-20T10:31:00Z", FakeTool.Message("m9", comment.Text, role: "requester")))));
        Assert.That(await _app.Get<ToolSync>().PollOnceAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task Tells_the_tools_ticket_once_that_the_hub_sent_the_request_elsewhere()
    {
        var routed = await CreatedAsync("TH-2026-000042", "2026-000201");
        _tool.AcceptsNotes("2026-000201", "m10");
        var rerouted = TestTickets.Rerouted(routed, "2026-000201");

        await _app.Harness.Bus.Publish(rerouted);
        await _app.Harness.Bus.Publish(rerouted);
        await Eventually.TrueAsync(() => _tool.Requests("POST", "/api/tickets/2026-000201/messages").Count >= 1, "the note reached the tool");
        await _app.Harness.InactivityTask;

        var note = JsonNode.Parse(_tool.Requests("POST", "/api/tickets/2026-000201/messages").Single().RequestMessage.Body!)!;
        Assert.That(note["body"]!.GetValue<string>(), Does.StartWith("Demande réorientée par le Pôle TIE le ")
            .And.Contain(" vers l'infogérant du Département.\nMotif : ").And.EndWith("Ce ticket n'est plus à traiter dans PASS (référence TicketHub TH-2026-000042) ; il peut être clos."));
        _tool.Server.Given(FakeTool.Changes()).RespondWith(FakeTool.Json(FakeTool.Page(null, FakeTool.Ticket("2026-000201", routed.Reference, "closed", "2024-11-23T10:00:00Z"))));
        Assert.That(await _app.Get<ToolSync>().PollOnceAsync(CancellationToken.None), Is.Zero, "a ticket moved elsewhere is no longer followed");
    }

    [Test]
    public async Task Tells_the_tools_ticket_once_that_the_Pôle_TIE_sent_the_request_back_and_follows_it_again()
    {
        var routed = await CreatedAsync("TH-2026-000043", "2026-000202");
        _tool.AcceptsNotes("2026-000202", "m11");
        await _app.Harness.Bus.Publish(TestTickets.Rerouted(routed, "2026-000202", RouteTargets.Infogerant, ExternalTools.Glpi));
        await Eventually.TrueAsync(() => _tool.Requests("POST", "/api/tickets/2026-000202/messages").Count >= 1, "the note that it went away");

        var back = routed with
        {
            Route = routed.Route with { Rule = TicketRerouted.ManualRule, Explanation = "Votre demande a été réorientée par le Pôle TIE vers le Rectorat (PASS) : erreur." },
            RoutedAt = new DateTimeOffset(2024, 11, 23, 10, 0, 0, TimeSpan.Zero),
        };
        await _app.Harness.Bus.Publish(back);
        await _app.Harness.Bus.Publish(back);
        await Eventually.TrueAsync(() => _app.Harness.Published.Select<TicketForwarded>(message => message.Context.Message.TicketId == routed.TicketId).Count() >= 2, "announced again");
        await _app.Harness.InactivityTask;

        var notes = _tool.Requests("POST", "/api/tickets/2026-000202/messages")
            .Select(entry => JsonNode.Parse(entry.RequestMessage.Body!)!["body"]!.GetValue<string>()).ToList();
        Assert.That(notes, Has.Count.EqualTo(2), "the note that it went away, then one that it came back");
        Assert.That(notes[1], Is.EqualTo(
            "Demande de nouveau orientée vers le Rectorat (PASS) par le Pôle TIE le 23/11/2024 à 11:00 : ce ticket est de nouveau à traiter dans PASS (référence TicketHub TH-2026-000043).\n"
            + "Votre demande a été réorientée par le Pôle TIE vers le Rectorat (PASS) : erreur."));
        Assert.That(_tool.Requests("POST", "/api/tickets"), Has.Count.EqualTo(1), "no second ticket");
        _tool.Server.Given(FakeTool.Changes()).RespondWith(FakeTool.Json(FakeTool.Page(null, FakeTool.Ticket("2026-000202", routed.Reference, "assigned", "2024-11-23T10:05:00Z"))));
        Assert.That(await _app.Get<ToolSync>().PollOnceAsync(CancellationToken.None), Is.EqualTo(1), "followed again: the technician's change reaches the hub");
    }

    [Test]
    public async Task Tells_the_tools_ticket_once_where_a_duplicate_is_followed_and_follows_it_no_more()
    {
        var routed = await CreatedAsync("TH-2026-000044", "2026-000203");
        _tool.AcceptsNotes("2026-000203", "m12");
        var duplicate = TestTickets.Duplicate(routed, "2026-000203");
        var messageId = NewId.NextGuid();

        await _app.Harness.Bus.Publish(duplicate, context => context.MessageId = messageId);
        await Eventually.TrueAsync(() => _tool.Requests("POST", "/api/tickets/2026-000203/messages").Count == 1, "the note reached the tool");
        await _app.Harness.Bus.Publish(duplicate, context => context.MessageId = messageId);
        await _app.Harness.Bus.Publish(duplicate); // the same news in a second message
        await _app.Harness.InactivityTask;

        var note = JsonNode.Parse(_tool.Requests("POST", "/api/tickets/2026-000203/messages").Single().RequestMessage.Body!)!;
        Assert.That(note["body"]!.GetValue<string>(), Is.EqualTo(
            "Doublon de la demande TH-2026-000123 (ticket 42 dans GLPI), où ce problème est suivi : clos dans TicketHub le 06/12/2026 à 21:10 par Anne Dupont (dispatcher).\n"
            + "Ce ticket (référence TicketHub TH-2026-000044) peut être clos."));
        Assert.That(note["authorName"]!.GetValue<string>(), Is.EqualTo("TicketHub"));
        _tool.Server.Given(FakeTool.Changes()).RespondWith(FakeTool.Json(FakeTool.Page(null,
            FakeTool.Ticket("2026-000203", routed.Reference, "closed", "2026-12-06T20:30:00Z", FakeTool.Message("m13", "Clos, merci.")))));
        Assert.That(await _app.Get<ToolSync>().PollOnceAsync(CancellationToken.None), Is.Zero, "a duplicate's ticket is no longer followed: its requester follows the kept one");
    }

    [Test]
    public async Task Leaves_the_duplicate_of_another_tools_ticket_to_that_tools_connector()
    {
        var routed = await CreatedAsync("TH-2026-000045", "2026-000204");
        var consumed = new ConsumedCounter<TicketClosedAsDuplicate>();
        _app.Harness.Bus.ConnectConsumeObserver(consumed);

        await _app.Harness.Bus.Publish(TestTickets.Duplicate(routed, "77", tool: ExternalTools.Glpi));
        await Eventually.TrueAsync(() => consumed.Count >= 1, "the duplicate was handled");

        Assert.That(_tool.Requests("POST", "/api/tickets/2026-000204/messages"), Is.Empty);
        _tool.Server.Given(FakeTool.Changes()).RespondWith(FakeTool.Json(FakeTool.Page(null, FakeTool.Ticket("2026-000204", routed.Reference, "assigned", "2024-11-23T10:05:00Z"))));
        Assert.That(await _app.Get<ToolSync>().PollOnceAsync(CancellationToken.None), Is.EqualTo(1), "still followed");
    }

    /// <summary>A ticket the connector created in the tool (new, at 09:15:05).</summary>
    private async Task<TicketRouted> CreatedAsync(string reference, string id)
    {
        var routed = TestTickets.Routed(reference: reference);
        _tool.Server.Given(FakeTool.Create().WithBody((string? body) => body?.Contains(reference, StringComparison.Ordinal) == true))
            .RespondWith(FakeTool.Json(FakeTool.Ticket(id, reference), 201));
        await _app.Harness.Bus.Publish(routed);
        await PublishedAsync<TicketForwarded>(routed.TicketId);
        return routed;
    }

    private async Task<T> PublishedAsync<T>(Guid ticketId)
        where T : class
    {
        await Eventually.TrueAsync(() => _app.Harness.Published.Select<T>(message => TicketIdOf(message.Context.Message) == ticketId).Any(),
            $"a {typeof(T).Name} for ticket {ticketId}");
        return _app.Harness.Published.Select<T>(message => TicketIdOf(message.Context.Message) == ticketId).First().Context.Message;
    }

    private static Guid TicketIdOf(object message) => message switch
    {
        TicketForwarded forwarded => forwarded.TicketId,
        TicketForwardingFailed failed => failed.TicketId,
        RelayItemRequested relay => relay.TicketId,
        _ => Guid.Empty,
    };
}
