using System.Globalization;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Connectors.Glpi.Sync;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>
/// Duplicates (« doublon de TH-… », issue 16) against the real GLPI 10.0.11 (<see cref="RealGlpiSettings"/>):
/// the connector creates the ticket, then hears that the hub closed it as a duplicate. What a
/// technician then finds in GLPI: one follow-up saying where the fault is followed; with
/// <c>Glpi:CloseDuplicates</c>, the ticket solved by the hub's solution, unless a technician solved it first.
/// </summary>
public sealed class RealGlpiDuplicateTests
{
    private static RealGlpi Real => RealGlpiSettings.Current;

    private ConnectorApp? _app;

    private IGlpiApi Glpi => _app!.Services.GetRequiredService<IGlpiApi>();

    [SetUp]
    public void SetUp() => GlpiServers.Intake.Reset();

    [TearDown]
    public async Task TearDown()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Test]
    public async Task Writes_the_note_once_on_the_real_ticket_and_leaves_it_to_its_team_by_default()
    {
        var (routed, glpiId) = await CreatedInGlpiAsync(closeDuplicates: false);
        var duplicate = Duplicate(routed, glpiId);
        var messageId = NewId.NextGuid();

        await _app!.Harness.Bus.Publish(duplicate, context => context.MessageId = messageId);
        await _app.Harness.Bus.Publish(duplicate, context => context.MessageId = messageId);
        await Eventually.TrueAsync(async () => (await Glpi.GetAllFollowupsAsync(glpiId, CancellationToken.None)).Count > 0, "the note reached GLPI", seconds: 30);
        await _app.Harness.InactivityTask;

        var followup = (await Glpi.GetAllFollowupsAsync(glpiId, CancellationToken.None)).Single();
        Assert.That(GlpiText.ToPlainText(followup.Content), Is.EqualTo(
            "Doublon de la demande TH-2026-000123 (ticket 4242 dans GLPI), où ce problème est suivi : clos dans TicketHub le 06/12/2026 à 21:10 par Anne Dupont (dispatcher).\n"
            + $"Ce ticket (référence TicketHub {routed.Reference}) peut être clos."));
        Assert.That(followup.IsPrivate, Is.Zero, "a public follow-up: the requester sees where the fault is followed");
        Assert.That((await Glpi.GetTicketAsync(glpiId, CancellationToken.None)).Status, Is.EqualTo(1), "still new: the team closes it");
        Assert.That(await Glpi.GetAllSolutionsAsync(glpiId, CancellationToken.None), Is.Empty);
        Assert.That((await _app.Sync.PollOnceAsync(CancellationToken.None)).Searched, Is.False, "no longer followed: nothing of it comes back to the hub");
    }

    [Test]
    public async Task Solves_the_real_ticket_after_the_note_when_set_to_close_duplicates()
    {
        var (routed, glpiId) = await CreatedInGlpiAsync(closeDuplicates: true);

        await _app!.Harness.Bus.Publish(Duplicate(routed, glpiId));
        await Eventually.TrueAsync(async () => (await Glpi.GetTicketAsync(glpiId, CancellationToken.None)).Status >= 5, "GLPI solved the ticket", seconds: 30);
        await _app.Harness.InactivityTask;

        Assert.That((await Glpi.GetTicketAsync(glpiId, CancellationToken.None)).Status, Is.EqualTo(5), "solved; GLPI closes it by its own rules");
        var solution = (await Glpi.GetAllSolutionsAsync(glpiId, CancellationToken.None)).Single();
        Assert.That(GlpiText.ToPlainText(solution.Content), Is.EqualTo(
            "Résolu par TicketHub : doublon de la demande TH-2026-000123 (ticket 4242 dans GLPI), où ce problème est suivi."));
        var followups = await Glpi.GetAllFollowupsAsync(glpiId, CancellationToken.None);
        Assert.That(followups.Select(followup => GlpiText.ToPlainText(followup.Content)), Has.Exactly(1).StartsWith("Doublon de la demande TH-2026-000123"));
        Assert.That((await _app.Sync.PollOnceAsync(CancellationToken.None)).Searched, Is.False, "no longer followed: the hub's own solution never comes back as a reply");
        Assert.That(_app.Harness.Published.Select<ExternalTicketUpdated>().Any(), Is.False);
    }

    [Test]
    public async Task Keeps_the_solution_a_technician_gave_first_and_still_writes_the_note()
    {
        var (routed, glpiId) = await CreatedInGlpiAsync(closeDuplicates: true);
        using (var technician = new RealGlpiClient(Real.AdminUserToken))
        {
            await technician.PostAsync($"Ticket/{glpiId}/ITILSolution", new JsonObject
            {
                ["itemtype"] = "Ticket", ["items_id"] = glpiId, ["content"] = "<p>Toner remplacé.</p>",
            });
        }

        await _app!.Harness.Bus.Publish(Duplicate(routed, glpiId));
        await Eventually.TrueAsync(async () => (await Glpi.GetAllFollowupsAsync(glpiId, CancellationToken.None)).Count > 0, "the note reached GLPI", seconds: 30);
        await _app.Harness.InactivityTask;

        var solutions = await Glpi.GetAllSolutionsAsync(glpiId, CancellationToken.None);
        Assert.That(solutions.Select(solution => GlpiText.ToPlainText(solution.Content)), Is.EqualTo(new[] { "Toner remplacé." }));
        Assert.That(_app.Logs.Lines, Has.Some.Contains($"GLPI ticket {glpiId} is already solved or closed (status 5); left as it is"));
    }

    /// <summary>A routed ticket of this run, created in the real GLPI by the connector (set to close duplicates or not).</summary>
    private async Task<(TicketRouted Routed, int GlpiId)> CreatedInGlpiAsync(bool closeDuplicates)
    {
        var settings = Real.ConnectorSettings();
        settings["Glpi:CloseDuplicates"] = closeDuplicates ? "true" : "false";
        _app = new ConnectorApp(settings: settings);
        var routed = TestTickets.Routed(reference: $"TH-8{Random.Shared.Next(100, 999)}-{Random.Shared.Next(100000, 999999)}");
        await _app.Harness.Bus.Publish(routed);
        await foreach (var published in _app.Harness.Published.SelectAsync<TicketForwarded>(message => message.Context.Message.TicketId == routed.TicketId))
        {
            return (routed, int.Parse(published.Context.Message.ExternalId, CultureInfo.InvariantCulture));
        }

        throw new AssertionException("no TicketForwarded");
    }

    /// <summary>Closed by Anne Dupont on 6 December 2026 at 21:10 (Paris) as a duplicate of TH-2026-000123, GLPI's ticket 4242.</summary>
    private static TicketClosedAsDuplicate Duplicate(TicketRouted routed, int glpiId) =>
        new(routed.TicketId, routed.Reference, ExternalTools.Glpi, glpiId.ToString(CultureInfo.InvariantCulture), Guid.NewGuid(), "TH-2026-000123",
            ExternalTools.Glpi, "4242", "Anne Dupont (dispatcher)", new DateTimeOffset(2026, 12, 6, 20, 10, 0, TimeSpan.Zero));
}
