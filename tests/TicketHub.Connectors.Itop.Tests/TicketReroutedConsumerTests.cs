using MassTransit;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>A dispatcher re-routes a ticket that iTop holds: the request is told, once, and no longer followed.</summary>
public sealed class TicketReroutedConsumerTests
{
    private static FakeItop Itop => ItopServers.Itop;

    private ConnectorApp _app = null!;
    private ITestHarness _harness = null!;
    private ConsumedCounter<TicketRerouted> _consumed = null!;

    [SetUp]
    public async Task SetUp()
    {
        Itop.Reset();
        Itop.CreatesRequest(15);
        Itop.AcceptsLogEntries();
        _app = new ConnectorApp();
        _harness = _app.Services.GetTestHarness();
        _consumed = new ConsumedCounter<TicketRerouted>();
        _harness.Bus.ConnectConsumeObserver(_consumed);
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    private async Task<TicketRouted> CreatedInItopAsync()
    {
        var routed = TestTickets.Routed();
        await _harness.Bus.Publish(routed);
        Assert.That(await _harness.Published.Any<TicketForwarded>(message => message.Context.Message.TicketId == routed.TicketId), Is.True);
        return routed;
    }

    /// <summary>The note as the technician reads it: the HTML entry sent, as text.</summary>
    private static string Note(WireMock.Logging.ILogEntry entry)
    {
        var item = FakeItop.JsonData(entry)["fields"]!["public_log"]!["add_item"]!;
        Assert.That(item["format"]!.GetValue<string>(), Is.EqualTo("html"));
        return TicketHub.Connectors.Shared.Text.ToolHtml.ToPlainText(item["message"]!.GetValue<string>());
    }

    [Test]
    public async Task Rerouted_away_from_iTop_writes_one_note_saying_where_and_why()
    {
        var routed = await CreatedInItopAsync();
        var rerouted = TestTickets.Rerouted(routed, RouteTargets.Pass, ExternalTools.Pass);
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(rerouted, context => context.MessageId = messageId);
        await _harness.Bus.Publish(rerouted, context => context.MessageId = messageId);
        await Eventually.TrueAsync(() => _consumed.Count >= 2, "both deliveries handled");

        var note = Note(Itop.Requests("core/update").Single());
        Assert.That(note, Is.EqualTo(
            "Demande réorientée par le Pôle TIE le 23/11/2024 à 10:30 vers le Rectorat (PASS).\n"
            + "Motif : Application Op@le : c'est le <Rectorat> & non l'infogérant.\n"
            + "Ce ticket n'est plus à traiter dans iTop (référence TicketHub TH-2026-000042) ; il peut être clos."),
            "encoded HTML that reads as written, and the time is Paris time");
        var row = await _app.ExternalTicketAsync(routed.TicketId);
        Assert.That(row?.Moved, Is.True, "no longer followed by the sync");
        Assert.That(await _app.HubEntriesAsync(routed.TicketId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Reroute_within_the_infogerant_leaves_the_iTop_request_alone()
    {
        var routed = await CreatedInItopAsync();

        await _harness.Bus.Publish(TestTickets.Rerouted(routed, RouteTargets.Infogerant, null));
        await Eventually.TrueAsync(() => _consumed.Count >= 1, "the re-route was handled");

        Assert.That(Itop.Requests("core/update"), Is.Empty);
        Assert.That((await _app.ExternalTicketAsync(routed.TicketId))?.Moved, Is.False);
    }

    [Test]
    public async Task Reroute_of_a_request_deleted_in_iTop_is_logged_and_not_retried()
    {
        var routed = await CreatedInItopAsync();
        Itop.Reset();
        Itop.Fails("core/update", 100, "Error: Invalid object UserRequest::15");

        await _harness.Bus.Publish(TestTickets.Rerouted(routed, RouteTargets.Omere, ExternalTools.Omere));
        await Eventually.TrueAsync(() => _consumed.Count >= 1, "the re-route was handled");

        Assert.That(Itop.Requests("core/update"), Has.Count.EqualTo(1));
        Assert.That(_app.Logs.Lines, Has.Some.Contains("iTop ticket UserRequest::15 of ticket TH-2026-000042 no longer exists: note 'Demande réorientée' not added (Error: Invalid object UserRequest::15)"));
        Assert.That((await _app.ExternalTicketAsync(routed.TicketId))?.Moved, Is.True);
    }

    [Test]
    public async Task Routed_back_to_iTop_by_hand_reuses_its_request_tells_it_and_announces_it_again()
    {
        var routed = await CreatedInItopAsync();
        await _harness.Bus.Publish(TestTickets.Rerouted(routed, RouteTargets.Pass, ExternalTools.Pass));
        await Eventually.TrueAsync(() => _consumed.Count >= 1, "the re-route was handled");

        var back = routed with { Route = routed.Route with { Rule = TicketRerouted.ManualRule, Explanation = "Votre demande a été réorientée par le Pôle TIE vers l'infogérant du Département : erreur." } };
        await _harness.Bus.Publish(back);
        await Eventually.TrueAsync(() => _harness.Published.Select<TicketForwarded>(message => message.Context.Message.TicketId == routed.TicketId).Count() >= 2,
            "announced again");

        Assert.That(Itop.Requests("core/create"), Has.Count.EqualTo(1), "no second iTop request");
        var notes = Itop.Requests("core/update");
        Assert.That(notes, Has.Count.EqualTo(2));
        Assert.That(Note(notes[1]), Does.StartWith("Demande de nouveau orientée vers l'infogérant du Département par le Pôle TIE le ")
            .And.Contain(" : ce ticket est de nouveau à traiter dans iTop (référence TicketHub TH-2026-000042).\nVotre demande a été réorientée"));
        var announced = _harness.Published.Select<TicketForwarded>(message => message.Context.Message.TicketId == routed.TicketId).ToList();
        Assert.That(announced[1].Context.Message.ExternalId, Is.EqualTo("15"));
        Assert.That((await _app.ExternalTicketAsync(routed.TicketId))?.Moved, Is.False, "followed again");
    }
}
