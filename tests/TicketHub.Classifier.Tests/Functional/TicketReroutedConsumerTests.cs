using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Classifier.Routing;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Tests.Functional;

public sealed class TicketReroutedConsumerTests
{
    private static ITestHarness Harness => ClassifierApp.Factory.Services.GetTestHarness();

    private static TicketRerouted Rerouted(string uai, string target, string? tool = null, string? queue = null, IReadOnlyList<string>? previousFlags = null)
    {
        var details = new TicketDetails(uai, new Requester("Claire Martin", "claire.martin@ac-creteil.fr", null), null, "reseau", "incident",
            false, "Prise réseau morte", "La prise de la salle 12 ne répond plus.", "normal", null, null);
        var previous = new RouteDecision(RouteTargets.Triage, null, null, "R8", "93-2025.1", "En attente du Pôle TIE.", previousFlags ?? []);
        return new TicketRerouted(Guid.NewGuid(), "TH-2026-000777", DateTimeOffset.UtcNow, details, target, tool, queue, previous, null,
            "Salle de technologie : zone pédagogique.", "dispatcher.tie", DateTimeOffset.UtcNow);
    }

    private static async Task<TicketRouted> WaitForRoutedAsync(Guid ticketId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!Harness.Published.Select<TicketRouted>(m => m.Context.Message.TicketId == ticketId).Any())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "no TicketRouted was published");
            await Task.Delay(50);
        }

        return Harness.Published.Select<TicketRouted>(m => m.Context.Message.TicketId == ticketId).First().Context.Message;
    }

    [Test]
    public async Task Rerouting_to_the_infogerant_completes_the_tool_from_the_rule_set_and_records_a_MANUAL_decision()
    {
        var rerouted = Rerouted("0931234X", RouteTargets.Infogerant, previousFlags: [RouteFlags.DatAmiante]);

        await Harness.Bus.Publish(rerouted);

        var routed = await WaitForRoutedAsync(rerouted.TicketId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(routed.Route.Target, Is.EqualTo(RouteTargets.Infogerant));
            Assert.That(routed.Route.Tool, Is.EqualTo(ExternalTools.Glpi));
            Assert.That(routed.Route.Rule, Is.EqualTo(TicketRerouted.ManualRule));
            Assert.That(routed.Route.RuleSetVersion, Is.EqualTo("93-2025.1"));
            Assert.That(routed.Route.Explanation, Does.Contain("(GLPI)").And.Contain("Salle de technologie"));
            Assert.That(routed.Route.Flags, Is.EqualTo(new[] { RouteFlags.DatAmiante }), "flags concern the work, not the route: they stay");
            Assert.That(routed.College!.Uai, Is.EqualTo("0931234X"));
        }

        var decisions = await ClassifierApp.Factory.Services.GetRequiredService<RoutingDecisionStore>().ListForTicketAsync(rerouted.TicketId, CancellationToken.None);
        Assert.That(decisions.Single(), Has.Property("RuleId").EqualTo("MANUAL").And.Property("Target").EqualTo("infogerant"));
    }

    [Test]
    public async Task Rerouting_passes_the_attachments_on_to_the_new_tool()
    {
        AttachmentRef[] attachments = [new(Guid.NewGuid(), "plan.pdf", "application/pdf", 4_096, new string('c', 64))];
        var rerouted = Rerouted("0931234X", RouteTargets.Pass);
        rerouted = rerouted with { Ticket = rerouted.Ticket with { Attachments = attachments } };

        await Harness.Bus.Publish(rerouted);

        var routed = await WaitForRoutedAsync(rerouted.TicketId);
        Assert.That(routed.Ticket.Attachments, Is.EqualTo(attachments));
    }

    [Test]
    public async Task Rerouting_to_Omere_takes_the_colleges_UT_as_queue()
    {
        var rerouted = Rerouted("0932101C", RouteTargets.Omere);

        await Harness.Bus.Publish(rerouted);

        var routed = await WaitForRoutedAsync(rerouted.TicketId);
        Assert.That(routed.Route.Tool, Is.EqualTo(ExternalTools.Omere));
        Assert.That(routed.Route.Queue, Is.EqualTo("UT2"));
    }

    [Test]
    public async Task The_dispatchers_tool_and_queue_win_over_the_defaults()
    {
        var rerouted = Rerouted("0931234X", RouteTargets.Infogerant, tool: ExternalTools.Itop, queue: "N2-réseau");

        await Harness.Bus.Publish(rerouted);

        var routed = await WaitForRoutedAsync(rerouted.TicketId);
        Assert.That(routed.Route.Tool, Is.EqualTo(ExternalTools.Itop));
        Assert.That(routed.Route.Queue, Is.EqualTo("N2-réseau"));
    }
}
