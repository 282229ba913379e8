extern alias omere;

using MassTransit;
using MassTransit.Testing;
using TicketHub.Contracts;
using OmereProgram = omere::Program;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>PASS in manual mode: the relay queue, and the operator's confirmation.</summary>
public sealed class ManualModeTests
{
    private ConnectorApp<Program> _app = null!;

    [SetUp]
    public void SetUp() => _app = new ConnectorApp<Program>("Pass", new Dictionary<string, string?> { ["Pass:Delivery"] = "manual" });

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    [Test]
    public async Task Asks_an_operator_to_enter_the_ticket_once_and_does_not_call_it_forwarded_yet()
    {
        var routed = TestTickets.Routed();

        await _app.Harness.Bus.Publish(routed);
        var request = await RelayRequestAsync(routed.TicketId);
        await _app.Harness.Bus.Publish(routed);
        await _app.Harness.InactivityTask;

        Assert.That(request.Kind, Is.EqualTo(RelayItemKinds.Ticket));
        Assert.That(request.Tool, Is.EqualTo(ExternalTools.Pass));
        Assert.That(request.Subject, Is.EqualTo("[TH-2026-000042] Pronote refuse les connexions"));
        Assert.That(request.Body, Does.Contain("Référence : TH-2026-000042\n").And.Contain("Urgence : haute\n").And.Contain("Courriel : claire.martin@ac-creteil.fr\n"));
        Assert.That(request.Queue, Is.Null);
        Assert.That(_app.Harness.Published.Select<RelayItemRequested>().Count(), Is.EqualTo(1), "a second delivery adds no second item");
        Assert.That(_app.Harness.Published.Select<TicketForwarded>().Any(), Is.False);
        Assert.That((await _app.RowAsync(routed.TicketId))?.State, Is.EqualTo("relaying"));
    }

    [Test]
    public async Task The_operators_confirmation_forwards_the_ticket_with_the_tools_number_once()
    {
        var routed = TestTickets.Routed();
        await _app.Harness.Bus.Publish(routed);
        var request = await RelayRequestAsync(routed.TicketId);
        var ack = new RelayItemAcknowledged(request.ItemId, routed.TicketId, routed.Reference, ExternalTools.Pass, RelayItemKinds.Ticket,
            "2026-004567", "operateur.rectorat", DateTimeOffset.UtcNow);

        await _app.Harness.Bus.Publish(ack);
        await Eventually.TrueAsync(() => _app.Harness.Published.Select<TicketForwarded>().Any(), "the ticket was forwarded");
        await _app.Harness.Bus.Publish(ack); // a second message (new id) with the same confirmation
        await _app.Harness.InactivityTask;

        var forwarded = _app.Harness.Published.Select<TicketForwarded>().Single().Context.Message;
        Assert.That((forwarded.Tool, forwarded.ExternalId, forwarded.Reference), Is.EqualTo((ExternalTools.Pass, "2026-004567", routed.Reference)));
        Assert.That((await _app.RowAsync(routed.TicketId))?.ExternalId, Is.EqualTo("2026-004567"));
    }

    [Test]
    public async Task A_comment_on_a_relayed_ticket_becomes_a_relay_item_naming_the_tools_number()
    {
        var routed = await EnteredByTheOperatorAsync("2026-004567");
        var comment = TestTickets.Comment(routed, "2026-004567");

        await _app.Harness.Bus.Publish(comment);

        await Eventually.TrueAsync(() => _app.Harness.Published.Select<RelayItemRequested>().Count() == 2, "the comment was queued");
        var item = _app.Harness.Published.Select<RelayItemRequested>().Select(m => m.Context.Message).Single(m => m.Kind == RelayItemKinds.Comment);
        Assert.That((item.ItemId, item.ExternalId), Is.EqualTo((comment.CommentId, "2026-004567")));
        Assert.That(item.Body, Does.Contain("Complément du collège pour la demande TH-2026-000042 (PASS 2026-004567)").And.Contain(comment.Text));
    }

    [Test]
    public async Task Asks_the_operator_to_close_the_tools_ticket_when_the_request_goes_elsewhere_and_to_work_it_again_when_it_comes_back()
    {
        var routed = await EnteredByTheOperatorAsync("2026-004567");

        await _app.Harness.Bus.Publish(TestTickets.Rerouted(routed, "2026-004567"));
        await Eventually.TrueAsync(() => _app.Harness.Published.Select<RelayItemRequested>().Count() == 2, "the note that it went away was queued");
        var back = routed with { Route = routed.Route with { Rule = TicketRerouted.ManualRule, Explanation = "Erreur : c'est bien le Rectorat." } };
        await _app.Harness.Bus.Publish(back);
        await _app.Harness.Bus.Publish(back);
        await Eventually.TrueAsync(() => _app.Harness.Published.Select<RelayItemRequested>().Count() >= 3, "the note that it came back was queued");
        await _app.Harness.InactivityTask;

        var items = _app.Harness.Published.Select<RelayItemRequested>().Select(m => m.Context.Message).Where(m => m.Kind == RelayItemKinds.Comment).ToList();
        Assert.That(items.Select(item => item.Subject), Is.EqualTo(new[]
        {
            "[TH-2026-000042] Demande réorientée : ticket 2026-004567 à clore",
            "[TH-2026-000042] Demande de nouveau orientée : ticket 2026-004567 de nouveau à traiter",
        }));
        Assert.That(items[1].Body, Does.StartWith("Demande de nouveau orientée vers le Rectorat (PASS) par le Pôle TIE").And.EndWith("Erreur : c'est bien le Rectorat."));
        // Each routed-back delivery announces the ticket again (intake keeps one status); only the first tells the operator.
        Assert.That(_app.Harness.Published.Select<TicketForwarded>().Select(m => m.Context.Message.ExternalId).Distinct(), Is.EqualTo(new[] { "2026-004567" }),
            "the hub learns the ticket is PASS's again, under the operator's number");
    }

    [Test]
    public async Task Asks_the_operator_once_to_close_the_tools_ticket_of_a_duplicate_saying_where_the_fault_is_followed()
    {
        var routed = await EnteredByTheOperatorAsync("2026-004567");
        var duplicate = TestTickets.Duplicate(routed, "2026-004567", keptTool: ExternalTools.Pass, keptExternalId: "2026-004601");
        var messageId = NewId.NextGuid();

        await _app.Harness.Bus.Publish(duplicate, context => context.MessageId = messageId);
        await _app.Harness.Bus.Publish(duplicate, context => context.MessageId = messageId);
        await Eventually.TrueAsync(() => _app.Harness.Published.Select<RelayItemRequested>().Count() >= 2, "the note was queued");
        await _app.Harness.InactivityTask;

        var item = _app.Harness.Published.Select<RelayItemRequested>().Select(m => m.Context.Message).Single(m => m.Kind == RelayItemKinds.Comment);
        Assert.That(item.Subject, Is.EqualTo("[TH-2026-000042] Doublon de TH-2026-000123 : ticket 2026-004567 à clore"));
        Assert.That(item.ExternalId, Is.EqualTo("2026-004567"));
        Assert.That(item.Body, Does.StartWith("Doublon de la demande TH-2026-000123 (ticket 2026-004601 dans PASS), où ce problème est suivi"));
    }

    [Test]
    public async Task An_Omere_relay_item_carries_the_colleges_UT_as_queue()
    {
        await using var omere = new ConnectorApp<OmereProgram>("Omere", new Dictionary<string, string?> { ["Omere:Delivery"] = "manual" });
        var routed = TestTickets.Routed(ExternalTools.Omere);

        await omere.Harness.Bus.Publish(routed);

        await Eventually.TrueAsync(() => omere.Harness.Published.Select<RelayItemRequested>().Any(), "the ticket was queued");
        var item = omere.Harness.Published.Select<RelayItemRequested>().Single().Context.Message;
        Assert.That((item.Tool, item.Queue), Is.EqualTo((ExternalTools.Omere, "UT2")));
        Assert.That(item.Body, Does.Contain("Demande transmise par TicketHub à Omère\n"));
    }

    /// <summary>A PASS ticket the Rectorat's operator entered in PASS and confirmed under <paramref name="passNumber"/>: forwarded.</summary>
    private async Task<TicketRouted> EnteredByTheOperatorAsync(string passNumber)
    {
        var routed = TestTickets.Routed();
        await _app.Harness.Bus.Publish(routed);
        var request = await RelayRequestAsync(routed.TicketId);
        await _app.Harness.Bus.Publish(new RelayItemAcknowledged(request.ItemId, routed.TicketId, routed.Reference, ExternalTools.Pass,
            RelayItemKinds.Ticket, passNumber, "operateur.rectorat", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => _app.Harness.Published.Select<TicketForwarded>().Any(), "the ticket was forwarded");
        return routed;
    }

    private async Task<RelayItemRequested> RelayRequestAsync(Guid ticketId)
    {
        await Eventually.TrueAsync(() => _app.Harness.Published.Select<RelayItemRequested>(m => m.Context.Message.TicketId == ticketId).Any(), "a relay item was requested");
        return _app.Harness.Published.Select<RelayItemRequested>(m => m.Context.Message.TicketId == ticketId).First().Context.Message;
    }
}
