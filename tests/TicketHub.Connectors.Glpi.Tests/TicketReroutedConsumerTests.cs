using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>A dispatcher re-routes a ticket that GLPI holds: GLPI's ticket is told, once.</summary>
public sealed class TicketReroutedConsumerTests
{
    private static FakeGlpi Glpi => GlpiServers.Glpi;

    private ConnectorApp _app = null!;
    private ITestHarness _harness = null!;
    private ConsumedCounter<TicketRerouted> _deliveries = null!;

    [SetUp]
    public void SetUp()
    {
        Glpi.Reset();
        Glpi.AcceptsLogin("session-1");
        Glpi.CreatesTicket(15);
        Glpi.AcceptsFollowups();
        _app = new ConnectorApp();
        _harness = _app.Harness;
        _deliveries = new ConsumedCounter<TicketRerouted>();
        _harness.Bus.ConnectConsumeObserver(_deliveries);
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    private async Task<TicketRouted> CreatedInGlpiAsync()
    {
        var routed = TestTickets.Routed();
        await _harness.Bus.Publish(routed);
        Assert.That(await _harness.Published.Any<TicketForwarded>(m => m.Context.Message.TicketId == routed.TicketId), Is.True);
        return routed;
    }

    private static TicketRerouted Rerouted(TicketRouted routed, string target, string? tool, string reason = "Application Op@le : c'est le <Rectorat> & non l'infogérant.") =>
        new(routed.TicketId, routed.Reference, routed.CreatedAt, routed.Ticket, target, tool, null, routed.Route,
            new ExternalTicketRef(ExternalTools.Glpi, "15", null), reason, "dispatcher.tie", new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.Zero));

    /// <summary>Waits until the consumer has finished <paramref name="count"/> deliveries of re-route messages.</summary>
    private Task ConsumedAsync(int count = 1) => Eventually.TrueAsync(() => _deliveries.Count >= count, $"{count} re-route deliveries consumed");

    private static string FollowupContent(WireMock.Logging.ILogEntry entry) =>
        JsonNode.Parse(entry.RequestMessage.Body!)!["input"]!["content"]!.GetValue<string>();

    [Test]
    public async Task Rerouted_away_from_GLPI_posts_one_followup_saying_where_and_why()
    {
        var routed = await CreatedInGlpiAsync();
        var messageId = NewId.NextGuid();
        var rerouted = Rerouted(routed, RouteTargets.Pass, ExternalTools.Pass);

        await _harness.Bus.Publish(rerouted, c => c.MessageId = messageId);
        await _harness.Bus.Publish(rerouted, c => c.MessageId = messageId);
        await ConsumedAsync(count: 2);

        var followups = Glpi.Requests("POST", "/Ticket/15/ITILFollowup");
        Assert.That(followups, Has.Count.EqualTo(1));
        var content = FollowupContent(followups[0]);
        Assert.Multiple(() =>
        {
            Assert.That(content, Does.Contain("le Rectorat (PASS)"));
            Assert.That(content, Does.Contain("23/11/2026 à 10:30"), "Paris time");
            Assert.That(content, Does.Contain("c&#39;est le &lt;Rectorat&gt; &amp; non"), "the reason is HTML-escaped");
            Assert.That(content, Does.Contain(routed.Reference));
        });
    }

    [Test]
    public async Task Reroute_within_the_infogerant_leaves_the_GLPI_ticket_alone()
    {
        var routed = await CreatedInGlpiAsync();

        await _harness.Bus.Publish(Rerouted(routed, RouteTargets.Infogerant, null));
        await ConsumedAsync();

        Assert.That(Glpi.Requests("POST", "/Ticket/15/ITILFollowup"), Is.Empty);
    }

    [Test]
    public async Task Reroute_of_a_ticket_GLPI_never_had_calls_nothing()
    {
        var routed = TestTickets.Routed(tool: ExternalTools.Pass);

        await _harness.Bus.Publish(Rerouted(routed, RouteTargets.Omere, ExternalTools.Omere));
        await ConsumedAsync();

        Assert.That(Glpi.Server.LogEntries, Is.Empty);
    }

    [Test]
    public async Task Routed_back_to_GLPI_by_hand_reuses_its_ticket_tells_it_and_announces_it_again()
    {
        var routed = await CreatedInGlpiAsync();
        await _harness.Bus.Publish(Rerouted(routed, RouteTargets.Pass, ExternalTools.Pass));
        await ConsumedAsync();

        var back = routed with { Route = routed.Route with { Rule = TicketRerouted.ManualRule, Explanation = "Votre demande a été réorientée par le Pôle TIE vers l'infogérant du Département : erreur." } };
        await _harness.Bus.Publish(back);
        await Eventually.TrueAsync(() => _harness.Published.Select<TicketForwarded>(m => m.Context.Message.TicketId == routed.TicketId).Count() >= 2, "TicketForwarded published again");

        Assert.That(Glpi.Requests("POST", "/Ticket"), Has.Count.EqualTo(1), "no second GLPI ticket");
        var followups = Glpi.Requests("POST", "/Ticket/15/ITILFollowup");
        Assert.That(followups, Has.Count.EqualTo(2));
        Assert.That(FollowupContent(followups[1]), Does.Contain("Demande de nouveau orientée vers l&#39;infogérant du Département par le Pôle TIE")
            .And.Contain("de nouveau à traiter dans GLPI"));
        var announced = _harness.Published.Select<TicketForwarded>(m => m.Context.Message.TicketId == routed.TicketId).ToList();
        Assert.That(announced, Has.Count.EqualTo(2));
        Assert.That(announced[1].Context.Message.ExternalId, Is.EqualTo("15"));
    }
}
