using MassTransit;
using MassTransit.Testing;
using TicketHub.Connectors.Shared.Text;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// A request iTop holds is closed in the hub as a duplicate: one public-log entry says where the
/// fault is followed, and the request is no longer followed; with <c>Itop:CloseDuplicates</c>, it is
/// resolved after the note, by the transition its state has.
/// </summary>
public sealed class TicketClosedAsDuplicateConsumerTests
{
    private static FakeItop Itop => ItopServers.Itop;

    private ConnectorApp _app = null!;
    private ConsumedCounter<TicketClosedAsDuplicate> _consumed = null!;

    [SetUp]
    public void SetUp()
    {
        Itop.Reset();
        Itop.CreatesRequest(15);
        Itop.AcceptsLogEntries();
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    private async Task<TicketRouted> CreatedInItopAsync(bool closeDuplicates)
    {
        _app = new ConnectorApp(new() { ["Itop:CloseDuplicates"] = closeDuplicates ? "true" : "false" });
        var harness = _app.Services.GetTestHarness();
        _consumed = new ConsumedCounter<TicketClosedAsDuplicate>();
        harness.Bus.ConnectConsumeObserver(_consumed);
        var routed = TestTickets.Routed();
        await harness.Bus.Publish(routed);
        Assert.That(await harness.Published.Any<TicketForwarded>(message => message.Context.Message.TicketId == routed.TicketId), Is.True);
        return routed;
    }

    private async Task PublishAsync(TicketClosedAsDuplicate duplicate, Guid? messageId = null) =>
        await _app.Services.GetTestHarness().Bus.Publish(duplicate, context => context.MessageId = messageId ?? NewId.NextGuid());

    private static TicketClosedAsDuplicate Duplicate(TicketRouted routed, string? keptTool = ExternalTools.Glpi, string? keptExternalId = "42") =>
        new(routed.TicketId, routed.Reference, ExternalTools.Itop, "15", Guid.NewGuid(), "TH-2026-000123", keptTool, keptExternalId,
            "Anne Dupont (dispatcher)", new DateTimeOffset(2026, 12, 6, 20, 10, 0, TimeSpan.Zero));

    [Test]
    public async Task Writes_one_note_saying_where_the_fault_is_followed_and_no_longer_follows_the_request()
    {
        var routed = await CreatedInItopAsync(closeDuplicates: false);
        var duplicate = Duplicate(routed, keptTool: null, keptExternalId: null);
        var messageId = NewId.NextGuid();

        await PublishAsync(duplicate, messageId);
        await PublishAsync(duplicate, messageId);
        await Eventually.TrueAsync(() => _consumed.Count >= 2, "both deliveries handled");

        var item = FakeItop.JsonData(Itop.Requests("core/update").Single())["fields"]!["public_log"]!["add_item"]!;
        Assert.That(ToolHtml.ToPlainText(item["message"]!.GetValue<string>()), Is.EqualTo(
            "Doublon de la demande TH-2026-000123, où ce problème est suivi : clos dans TicketHub le 06/12/2026 à 21:10 par Anne Dupont (dispatcher).\n"
            + "Ce ticket (référence TicketHub TH-2026-000042) peut être clos."), "a kept ticket in no tool yet is named by its reference only");
        Assert.That((await _app.ExternalTicketAsync(routed.TicketId))?.Moved, Is.True, "no longer followed by the sync");
        Assert.That(await _app.HubEntriesAsync(routed.TicketId), Has.Count.EqualTo(1), "the entry is the hub's: never reported back");
        Assert.That(Itop.Requests("core/apply_stimulus"), Is.Empty, "the team closes its request itself");
    }

    [TestCase("new", "ev_autoresolve")]
    [TestCase("pending", "ev_autoresolve")]
    [TestCase("assigned", "ev_resolve")]
    [TestCase("escalated_ttr", "ev_resolve")]
    public async Task Resolves_the_request_after_the_note_by_the_transition_its_state_has(string status, string stimulus)
    {
        var routed = await CreatedInItopAsync(closeDuplicates: true);
        Itop.Finds(FakeItop.UserRequest(15, status));
        Itop.Answers("core/apply_stimulus", FakeItop.Objects("updated", new() { ["status"] = "resolved" }, "15"));

        await PublishAsync(Duplicate(routed));
        await Eventually.TrueAsync(() => _consumed.Count >= 1, "the duplicate was handled");

        var resolve = FakeItop.JsonData(Itop.Requests("core/apply_stimulus").Single());
        Assert.That((resolve["class"]!.GetValue<string>(), resolve["key"]!.GetValue<int>(), resolve["stimulus"]!.GetValue<string>()),
            Is.EqualTo(("UserRequest", 15, stimulus)));
        Assert.That(ToolHtml.ToPlainText(resolve["fields"]!["solution"]!.GetValue<string>()), Is.EqualTo(
            "Résolu par TicketHub : doublon de la demande TH-2026-000123 (ticket 42 dans GLPI), où ce problème est suivi."));
        var note = Itop.Requests("core/update").Single();
        Assert.That(note.RequestMessage.DateTime, Is.LessThan(Itop.Requests("core/apply_stimulus").Single().RequestMessage.DateTime), "the note, then the resolution");
    }

    [Test]
    public async Task A_resolution_iTop_refuses_is_logged_once_and_the_note_stays()
    {
        var routed = await CreatedInItopAsync(closeDuplicates: true);
        Itop.Finds(FakeItop.UserRequest(15, "escalated_tto"));
        Itop.Fails("core/apply_stimulus", 100, "Invalid stimulus: 'ev_autoresolve' on the object R-000015 in state 'escalated_tto'");

        await PublishAsync(Duplicate(routed));
        await Eventually.TrueAsync(() => _consumed.Count >= 1, "the duplicate was handled");
        await _app.Services.GetTestHarness().InactivityTask;

        Assert.That(Itop.Requests("core/update"), Has.Count.EqualTo(1), "the note");
        Assert.That(Itop.Requests("core/apply_stimulus"), Has.Count.EqualTo(1), "a refusal is not sent again");
        Assert.That(_app.Logs.Lines, Has.Some.Contains(
            "iTop refused to resolve its ticket UserRequest::15 of duplicate TH-2026-000042 (code 100: Invalid stimulus: 'ev_autoresolve' on the object R-000015 in state 'escalated_tto')"));
    }
}
