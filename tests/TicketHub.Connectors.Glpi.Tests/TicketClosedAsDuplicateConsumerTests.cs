using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>
/// A ticket GLPI holds is closed in the hub as a duplicate: one follow-up says where the fault is
/// followed; with <c>Glpi:CloseDuplicates</c>, a solution follows it, once.
/// </summary>
public sealed class TicketClosedAsDuplicateConsumerTests
{
    private static FakeGlpi Glpi => GlpiServers.Glpi;

    private ConnectorApp _app = null!;
    private ConsumedCounter<TicketClosedAsDuplicate> _consumed = null!;

    [SetUp]
    public void SetUp()
    {
        Glpi.Reset();
        Glpi.AcceptsLogin("session-1");
        Glpi.CreatesTicket(15);
        Glpi.AcceptsFollowups(firstId: 40);
        Glpi.HasTicket(15, "TH-2026-000042");
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    private async Task<TicketRouted> CreatedInGlpiAsync(bool closeDuplicates)
    {
        _app = new ConnectorApp(settings: new() { ["Glpi:CloseDuplicates"] = closeDuplicates ? "true" : "false" });
        _consumed = new ConsumedCounter<TicketClosedAsDuplicate>();
        _app.Harness.Bus.ConnectConsumeObserver(_consumed);
        var routed = TestTickets.Routed();
        await _app.Harness.Bus.Publish(routed);
        Assert.That(await _app.Harness.Published.Any<TicketForwarded>(m => m.Context.Message.TicketId == routed.TicketId), Is.True);
        return routed;
    }

    private static TicketClosedAsDuplicate Duplicate(TicketRouted routed) =>
        new(routed.TicketId, routed.Reference, ExternalTools.Glpi, "15", Guid.NewGuid(), "TH-2026-000123", ExternalTools.Glpi, "16",
            "Anne Dupont (dispatcher)", new DateTimeOffset(2026, 12, 6, 20, 10, 0, TimeSpan.Zero));

    private static string Content(WireMock.Logging.ILogEntry entry) =>
        JsonNode.Parse(entry.RequestMessage.Body!)!["input"]!["content"]!.GetValue<string>();

    [Test]
    public async Task Posts_one_followup_saying_where_the_fault_is_followed_and_leaves_the_ticket_to_its_team_by_default()
    {
        var routed = await CreatedInGlpiAsync(closeDuplicates: false);
        var duplicate = Duplicate(routed);
        var messageId = NewId.NextGuid();

        await _app.Harness.Bus.Publish(duplicate, context => context.MessageId = messageId);
        await _app.Harness.Bus.Publish(duplicate, context => context.MessageId = messageId);
        await Eventually.TrueAsync(() => _consumed.Count >= 2, "both deliveries handled");

        var followup = Glpi.Requests("POST", "/Ticket/15/ITILFollowup").Single();
        Assert.That(Content(followup), Is.EqualTo(
            "<p>Doublon de la demande TH-2026-000123 (ticket 16 dans GLPI), où ce problème est suivi : clos dans TicketHub le 06/12/2026 à 21:10 par Anne Dupont (dispatcher).<br>"
            + "Ce ticket (référence TicketHub TH-2026-000042) peut être clos.</p>"));
        Assert.That(Glpi.Requests("POST", "/Ticket/15/ITILSolution"), Is.Empty, "the team closes its ticket itself");
    }

    [Test]
    public async Task Solves_the_GLPI_ticket_after_the_note_when_set_to_close_duplicates()
    {
        var routed = await CreatedInGlpiAsync(closeDuplicates: true);
        Glpi.AnswersSolutionsWith(15, FakeGlpi.Json(201, new JsonObject { ["id"] = 7, ["message"] = "" }));

        await _app.Harness.Bus.Publish(Duplicate(routed));
        await Eventually.TrueAsync(() => _consumed.Count >= 1, "the duplicate was handled");

        var calls = Glpi.Server.LogEntries.Where(entry => entry.RequestMessage.Method == "POST" && entry.RequestMessage.Path.StartsWith(FakeGlpi.ApiPath + "/Ticket/15/", StringComparison.Ordinal))
            .Select(entry => entry.RequestMessage.Path[(FakeGlpi.ApiPath.Length + "/Ticket/15/".Length)..]).ToList();
        Assert.That(calls, Is.EqualTo(new[] { "ITILFollowup", "ITILSolution" }), "the note, then the solution");
        var solution = JsonNode.Parse(Glpi.Requests("POST", "/Ticket/15/ITILSolution").Single().RequestMessage.Body!)!["input"]!;
        Assert.That((solution["itemtype"]!.GetValue<string>(), solution["items_id"]!.GetValue<int>()), Is.EqualTo(("Ticket", 15)));
        Assert.That(solution["content"]!.GetValue<string>(), Is.EqualTo(
            "<p>Résolu par TicketHub : doublon de la demande TH-2026-000123 (ticket 16 dans GLPI), où ce problème est suivi.</p>"));
        Assert.That(_app.Logs.Lines, Has.Some.Contains("Ticket TH-2026-000042 closed as a duplicate: GLPI ticket 15 solved (solution 7)"));
    }

    [Test]
    public async Task A_solution_GLPI_refuses_is_logged_once_and_the_note_stays()
    {
        var routed = await CreatedInGlpiAsync(closeDuplicates: true);
        Glpi.AnswersSolutionsWith(15, FakeGlpi.Error(400, "ERROR_GLPI_ADD", "Cet item est déjà résolu, quelqu'un a-t-il publié une solution avant vous ?"));

        await _app.Harness.Bus.Publish(Duplicate(routed));
        await Eventually.TrueAsync(() => _consumed.Count >= 1, "the duplicate was handled");
        await _app.Harness.InactivityTask;

        Assert.That(Glpi.Requests("POST", "/Ticket/15/ITILFollowup"), Has.Count.EqualTo(1));
        Assert.That(Glpi.Requests("POST", "/Ticket/15/ITILSolution"), Has.Count.EqualTo(1), "a refusal is not sent again");
        Assert.That(_app.Logs.Lines, Has.Some.Contains("GLPI refused to solve its ticket 15 of duplicate TH-2026-000042 (HTTP 400 ERROR_GLPI_ADD: Cet item est déjà résolu"));
    }

    [Test]
    public async Task Leaves_a_ticket_a_technician_already_solved_with_the_technicians_solution()
    {
        var routed = await CreatedInGlpiAsync(closeDuplicates: true);
        Glpi.HasTicket(15, routed.Reference, status: 5);

        await _app.Harness.Bus.Publish(Duplicate(routed));
        await Eventually.TrueAsync(() => _consumed.Count >= 1, "the duplicate was handled");

        Assert.That(Glpi.Requests("POST", "/Ticket/15/ITILFollowup"), Has.Count.EqualTo(1), "the note all the same");
        Assert.That(Glpi.Requests("POST", "/Ticket/15/ITILSolution"), Is.Empty);
    }

    [Test]
    public async Task A_solution_that_failed_on_a_server_error_is_sent_again_without_a_second_note()
    {
        var routed = await CreatedInGlpiAsync(closeDuplicates: true);
        Glpi.AnswersSolutionsWith(15,
            FakeGlpi.Error(500, "ERROR", "Internal Server Error"),
            FakeGlpi.Json(201, new JsonObject { ["id"] = 8, ["message"] = "" }));

        await _app.Harness.Bus.Publish(Duplicate(routed));
        await Eventually.TrueAsync(() => Glpi.Requests("POST", "/Ticket/15/ITILSolution").Count == 2, "the solution sent again", seconds: 20);
        await _app.Harness.InactivityTask;

        Assert.That(Glpi.Requests("POST", "/Ticket/15/ITILFollowup"), Has.Count.EqualTo(1), "the note once");
        Assert.That(_app.Logs.Lines, Has.Some.Contains("GLPI ticket 15 solved (solution 8)"));
    }
}
