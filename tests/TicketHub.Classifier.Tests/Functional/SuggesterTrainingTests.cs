using System.Net.Http.Json;
using System.Text.Json;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Suggestions;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Tests.Functional;

/// <summary>The suggester learns offline from the hub's routed history, re-routes being corrections (issue 16, part 3).</summary>
public sealed class SuggesterTrainingTests
{
    private static readonly DateTimeOffset CreatedAt = new(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);

    private static ITestHarness Harness => ClassifierApp.Factory.Services.GetTestHarness();

    [Test]
    public async Task Requests_routed_with_the_zone_their_requester_gave_teach_the_suggester_once_it_is_trained_again()
    {
        // A word no labelled request has: only the routed history can teach it.
        const string title = "Pronomédia";
        Assert.That((await SuggestAsync(title)).GetProperty("zoneConfident").GetBoolean(), Is.False, "unknown before");
        for (var i = 0; i < 12; i++)
        {
            await RoutedAsync(Submitted(zone: "ZA", title: $"Pronomédia bloqué, poste {i}", description: "Le logiciel Pronomédia ne démarre plus."));
        }

        await ClassifierApp.Factory.Services.GetRequiredService<SuggesterTraining>().TrainAsync(CancellationToken.None);

        var suggestion = await SuggestAsync(title);
        Assert.That((suggestion.GetProperty("zone").GetString(), suggestion.GetProperty("zoneConfident").GetBoolean()), Is.EqualTo(("ZA", true)));
    }

    [Test]
    public async Task A_dispatchers_reroute_corrects_the_zone_the_requester_gave()
    {
        var submitted = Submitted(zone: "ZP", title: "Le logiciel Sconetix du bureau plante", description: "Sconetix se ferme tout seul.");
        await RoutedAsync(submitted);
        var history = ClassifierApp.Factory.Services.GetRequiredService<RoutedHistory>();
        Assert.That((await history.ExamplesAsync(CancellationToken.None)).Single(e => e.Id == submitted.TicketId.ToString()).Zone, Is.EqualTo("ZP"));

        var rerouted = new TicketRerouted(submitted.TicketId, submitted.Reference, CreatedAt, submitted.Ticket, RouteTargets.Pass, null, null, null, null,
            "Poste de l'administration : le Rectorat.", "Aiguilleur (dispatcher)", CreatedAt.AddHours(1));
        await Harness.Bus.Publish(rerouted);
        await WaitUntilAsync(async () => (await history.ExamplesAsync(CancellationToken.None)).Single(e => e.Id == submitted.TicketId.ToString()).Zone == "ZA");
    }

    [TestCase(RouteTargets.Pass, null, "ZA")]
    [TestCase(RouteTargets.Infogerant, null, "ZP")]
    [TestCase(RouteTargets.Infogerant, "2026-09-01", null)]
    [TestCase(RouteTargets.Infogerant, "2027-01-01", "ZP")]
    [TestCase(RouteTargets.Region, null, "ZP")]
    [TestCase(RouteTargets.Omere, null, null)]
    public void A_target_implies_a_zone_only_when_it_can_be_only_one(string target, string? reprise, string? zone)
    {
        var college = new College("0931234X", "Collège Jean Moulin", "Aubervilliers", "UT1", false, reprise is null ? null : DateOnly.Parse(reprise), null);

        Assert.That(RoutedHistory.ZoneOf(target, college, new DateOnly(2026, 12, 1)), Is.EqualTo(zone));
    }

    private static TicketSubmitted Submitted(string zone, string title, string description) =>
        new(Guid.NewGuid(), $"TH-2026-{Random.Shared.Next(100000, 999999)}", CreatedAt,
            new TicketDetails("0931234X", new Requester("Marie Dupont", "secretariat@college.example", null), zone, "autre", "incident", false,
                title, description, "normal", null, null));

    private static async Task RoutedAsync(TicketSubmitted submitted)
    {
        await Harness.Bus.Publish(submitted);
        await WaitUntilAsync(() => Task.FromResult(Harness.Published.Select<TicketRouted>(m => m.Context.Message.TicketId == submitted.TicketId).Any()));
    }

    private static async Task<JsonElement> SuggestAsync(string title)
    {
        using var response = await ClassifierApp.Client.PostAsJsonAsync("/api/v1/suggestions", new { title, description = title });
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "timed out");
            await Task.Delay(50);
        }
    }
}
