using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Classifier.Tests.Functional;

/// <summary>The index of open tickets kept from the bus, and the similar tickets the form is offered (issue 16), on each database.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class OpenTicketIndexTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset CreatedAt = new(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private ClassifierFactory _factory = null!;

    private ITestHarness Harness => _factory.Services.GetTestHarness();

    [OneTimeSetUp]
    public void StartClassifier()
    {
        _database = TestDatabase.Create(provider, "openticketindex");
        _factory = new ClassifierFactory(RepoFiles.SeedCsv, _database.Settings.ToDictionary());
    }

    [OneTimeTearDown]
    public async Task StopClassifierAsync()
    {
        await _factory.DisposeAsync();
        _database.Dispose();
    }

    /// <summary>A collège of its own for each test: the index is shared by the fixture.</summary>
    private static string NewUai() => $"09{Random.Shared.Next(10000, 99999)}{(char)('A' + Random.Shared.Next(26))}";

    [Test]
    public async Task A_routed_ticket_is_offered_to_a_second_report_of_the_same_fault_in_its_college_only()
    {
        var uai = NewUai();
        var first = await RoutedAsync(uai, "Le vidéoprojecteur de la salle 204 ne s'allume plus", "Plus d'image depuis ce matin, le voyant reste orange.");
        await RoutedAsync(uai, "Imprimante du CDI bloquée", "Bourrage papier permanent sur l'imprimante du CDI.");

        var similar = await SimilarAsync(College(uai), "Vidéoprojecteur en panne en 204", "Le projecteur de la 204 n'affiche rien.");

        Assert.That(similar.Select(s => s.GetProperty("reference").GetString()), Is.EqualTo(new[] { first.Reference }), "the printer reads nothing like it");
        var shown = similar.Single();
        Assert.That((shown.GetProperty("status").GetString(), shown.GetProperty("routeTarget").GetString(), shown.GetProperty("title").GetString()),
            Is.EqualTo(("triage", "triage", "Le vidéoprojecteur de la salle 204 ne s'allume plus")), "a collège the registry does not know waits in triage");
        Assert.That(await SimilarAsync(College(NewUai()), "Vidéoprojecteur en panne en 204", "Le projecteur de la 204 n'affiche rien."), Is.Empty,
            "another collège never sees them");
        Assert.That(await SimilarAsync(TestIdentity.Infogerant, "Vidéoprojecteur en panne en 204", "Le projecteur de la 204 n'affiche rien.", uai), Is.Empty,
            "a team does not file tickets for a collège");
        Assert.That((await SimilarAsync(TestIdentity.Dispatcher, "Vidéoprojecteur en panne en 204", "Le projecteur de la 204 n'affiche rien.", uai)).Single()
            .GetProperty("reference").GetString(), Is.EqualTo(first.Reference), "the Pôle TIE filing for the collège");
    }

    [Test]
    public async Task A_resolved_ticket_is_not_offered_an_older_change_arriving_late_is_ignored_and_a_closed_one_leaves()
    {
        var uai = NewUai();
        var ticket = await RoutedAsync(uai, "Plus de Wi-Fi au deuxième étage", "Les tablettes ne se connectent plus au Wi-Fi au deuxième étage.");
        const string title = "Wi-Fi en panne au deuxième étage";
        const string description = "Aucune tablette ne capte le Wi-Fi au deuxième.";
        Assert.That(await SimilarAsync(College(uai), title, description), Has.Count.EqualTo(1));

        await ChangedAsync(ticket, HubStatuses.Resolved, version: 4);
        Assert.That(await SimilarAsync(College(uai), title, description), Is.Empty, "resolved");

        await ChangedAsync(ticket, HubStatuses.InProgress, version: 3);
        Assert.That(await SimilarAsync(College(uai), title, description), Is.Empty, "version 3 is older than the resolution intake decided at 4");

        await ChangedAsync(ticket, HubStatuses.InProgress, version: 5);
        var reopened = (await SimilarAsync(College(uai), title, description)).Single();
        Assert.That(reopened.GetProperty("status").GetString(), Is.EqualTo("in-progress"), "reopened in its tool");

        await ChangedAsync(ticket, HubStatuses.Closed, version: 6, duplicateOf: "TH-2026-000001");
        Assert.That(await SimilarAsync(College(uai), title, description), Is.Empty, "closed (here as a duplicate): gone from the index");
    }

    [Test]
    public async Task A_college_cannot_ask_for_another_colleges_open_tickets()
    {
        using var client = _factory.ClientFor(College("0931234X"));

        using var response = await client.PostAsJsonAsync("/api/v1/suggestions", new { title = "Wi-Fi", description = "Panne", collegeUai = "0935678Z" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private static HubUser College(string uai) => new($"college-{uai}", "Secrétariat", HubRoles.College, uai, false);

    private async Task<(Guid Id, string Reference)> RoutedAsync(string uai, string title, string description)
    {
        var submitted = new TicketSubmitted(Guid.NewGuid(), $"TH-2026-{Random.Shared.Next(100000, 999999)}", CreatedAt,
            new TicketDetails(uai, new Requester("Marie Dupont", "secretariat@college.example", null), "ZP", "vpi", "incident", false,
                title, description, "normal", null, null));
        await Harness.Bus.Publish(submitted);
        await WaitUntilAsync(() => Harness.Published.Select<TicketRouted>(m => m.Context.Message.TicketId == submitted.TicketId).Any());
        return (submitted.TicketId, submitted.Reference);
    }

    private async Task ChangedAsync((Guid Id, string Reference) ticket, string status, long version, string? duplicateOf = null)
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(new TicketStatusChanged(ticket.Id, ticket.Reference, "unused", status, RouteTargets.Infogerant, ExternalTools.Glpi, version,
            CreatedAt.AddHours(version), duplicateOf), c => c.MessageId = id);
        await WaitUntilAsync(() => Harness.Consumed.Select<TicketStatusChanged>(m => m.Context.MessageId == id).Any());
    }

    private async Task<IReadOnlyList<JsonElement>> SimilarAsync(HubUser user, string title, string description, string? collegeUai = null)
    {
        using var client = _factory.ClientFor(user);
        using var response = await client.PostAsJsonAsync("/api/v1/suggestions", new { title, description, collegeUai });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        return [.. body.GetProperty("similar").EnumerateArray()];
    }

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
