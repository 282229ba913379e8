using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Classifier.Routing;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Tests.Functional;

public sealed class TicketSubmittedConsumerTests
{
    private static readonly DateTimeOffset CreatedAt = new(2025, 3, 10, 9, 30, 0, TimeSpan.FromHours(1));

    private static ITestHarness Harness => ClassifierApp.Factory.Services.GetTestHarness();

    [Test]
    public async Task Routes_a_submitted_ticket_and_publishes_TicketRouted_with_the_route_and_the_college()
    {
        var submitted = Submitted("0931234X", zone: "ZA", category: "poste-administratif");

        await Harness.Bus.Publish(submitted);

        var routed = await WaitForRoutedAsync(submitted.TicketId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(routed.Reference, Is.EqualTo(submitted.Reference));
            Assert.That(routed.Ticket, Is.EqualTo(submitted.Ticket).Using<TicketDetails>((a, b) => a.Title == b.Title && a.CollegeUai == b.CollegeUai));
            Assert.That(routed.Route.Target, Is.EqualTo(RouteTargets.Infogerant));
            Assert.That(routed.Route.Tool, Is.EqualTo(ExternalTools.Glpi));
            Assert.That(routed.Route.Rule, Is.EqualTo("R6"));
            Assert.That(routed.Route.RuleSetVersion, Is.EqualTo("93-2025.1"));
            Assert.That(routed.College, Is.EqualTo(new CollegeSnapshot("0931234X", "Collège Jean Moulin", "Aubervilliers", "UT1")));
        }

        var rows = await Decisions(submitted.TicketId);
        Assert.That(rows.Single(), Has.Property("RuleId").EqualTo("R6").And.Property("Target").EqualTo("infogerant").And.Property("Tool").EqualTo("glpi"));
    }

    [Test]
    public async Task Passes_the_attachments_on_unchanged_in_TicketRouted()
    {
        AttachmentRef[] attachments =
        [
            new(Guid.NewGuid(), "photo.png", "image/png", 2_048, new string('a', 64)),
            new(Guid.NewGuid(), "relevé d'erreur.txt", "text/plain; charset=utf-8", 120, new string('b', 64)),
        ];
        var submitted = Submitted("0931234X", zone: "ZP", category: "vpi");
        submitted = submitted with { Ticket = submitted.Ticket with { Attachments = attachments } };

        await Harness.Bus.Publish(submitted);

        var routed = await WaitForRoutedAsync(submitted.TicketId);
        Assert.That(routed.Ticket.Attachments, Is.EqualTo(attachments));
    }

    [Test]
    public async Task Records_the_asbestos_flag_with_the_decision()
    {
        var submitted = Submitted("0931234X", zone: "ZP", category: "vpi", type: "request");

        await Harness.Bus.Publish(submitted);

        var routed = await WaitForRoutedAsync(submitted.TicketId);
        var row = (await Decisions(submitted.TicketId)).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(routed.Route.Flags, Is.EqualTo(new[] { RouteFlags.DatAmiante }));
            Assert.That(row.Flags, Is.EqualTo(RouteFlags.DatAmiante));
            Assert.That(row.Explanation, Does.Contain("amiante"));
        }
    }

    [Test]
    public async Task Routes_a_ticket_of_an_unknown_college_to_triage_without_college_snapshot()
    {
        var submitted = Submitted("0939999Z", zone: "ZP", category: "poste-pedagogique");

        await Harness.Bus.Publish(submitted);

        var routed = await WaitForRoutedAsync(submitted.TicketId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(routed.Route.Target, Is.EqualTo(RouteTargets.Triage));
            Assert.That(routed.Route.Rule, Is.EqualTo("R0"));
            Assert.That(routed.College, Is.Null);
        }
    }

    [Test]
    public async Task Same_message_delivered_twice_is_routed_once_and_announced_once()
    {
        var submitted = Submitted("0931235A", zone: "ZA", category: "poste-administratif");
        var messageId = NewId.NextGuid();

        // The harness lists messages by id, so it shows one delivery: count them with an observer.
        var deliveries = new DeliveryCounter(submitted.TicketId);
        using var observer = Harness.Bus.ConnectConsumeMessageObserver(deliveries);

        await Harness.Bus.Publish(submitted, context => context.MessageId = messageId);
        await Harness.Bus.Publish(submitted, context => context.MessageId = messageId);

        await WaitUntilAsync(() => deliveries.Consumed == 2);
        var routed = await WaitForRoutedAsync(submitted.TicketId);
        await Task.Delay(TimeSpan.FromSeconds(1)); // several relay rounds: a second TicketRouted would show up
        var announcements = Harness.Published.Select<TicketRouted>(m => m.Context.Message.TicketId == submitted.TicketId).Count();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(routed.Route.Rule, Is.EqualTo("R7"));
            Assert.That(await Decisions(submitted.TicketId), Has.Count.EqualTo(1), "routing_decisions rows");
            Assert.That(announcements, Is.EqualTo(1), "TicketRouted published");
        }
    }

    private sealed class DeliveryCounter(Guid ticketId) : IConsumeMessageObserver<TicketSubmitted>
    {
        private int _consumed;

        public int Consumed => Volatile.Read(ref _consumed);

        public Task PreConsume(ConsumeContext<TicketSubmitted> context) => Task.CompletedTask;

        public Task PostConsume(ConsumeContext<TicketSubmitted> context)
        {
            if (context.Message.TicketId == ticketId)
            {
                Interlocked.Increment(ref _consumed);
            }

            return Task.CompletedTask;
        }

        public Task ConsumeFault(ConsumeContext<TicketSubmitted> context, Exception exception) => Task.CompletedTask;
    }

    private static TicketSubmitted Submitted(string uai, string? zone, string category, string type = "incident") =>
        new(Guid.NewGuid(), $"TH-2025-{Random.Shared.Next(100000, 999999)}", CreatedAt,
            new TicketDetails(uai, new Requester("Marie Dupont", "secretariat@college.example", "01 23 45 67 89"), zone, category, type, false,
                "Le poste ne démarre plus", "Écran noir depuis ce matin.", "normal", "Secrétariat", "PC-ADM-03"));

    /// <summary>
    /// Polls rather than <c>Published.Any</c>: that one returns false as soon as the shared harness has
    /// been idle for its inactivity timeout, which other fixtures starting classifiers can make it.
    /// </summary>
    private static async Task<TicketRouted> WaitForRoutedAsync(Guid ticketId)
    {
        bool Routed(IPublishedMessage<TicketRouted> m) => m.Context.Message.TicketId == ticketId;
        await WaitUntilAsync(() => Harness.Published.Select<TicketRouted>(Routed).Any());
        return Harness.Published.Select<TicketRouted>(Routed).First().Context.Message;
    }

    private static async Task<IReadOnlyList<RoutingDecisionStore.DecisionRow>> Decisions(Guid ticketId) =>
        await ClassifierApp.Factory.Services.GetRequiredService<RoutingDecisionStore>().ListForTicketAsync(ticketId, CancellationToken.None);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "timed out");
            await Task.Delay(50);
        }
    }
}
