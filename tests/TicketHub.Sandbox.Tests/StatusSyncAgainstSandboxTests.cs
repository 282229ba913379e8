using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MassTransit.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using TicketHub.Contracts;

namespace TicketHub.Sandbox.Tests;

/// <summary>
/// The round trip through the emulated GLPI: the connector creates the ticket, a person playing the
/// technician works it on the sandbox's pages, the connector's status sync brings it back to the
/// hub, and the collège's comment reaches the ticket without coming back as a reply.
/// </summary>
public sealed partial class StatusSyncAgainstSandboxTests
{
    private SandboxApp _sandbox = null!;
    private GlpiConnectorApp _connector = null!;
    private ITestHarness _harness = null!;
    private HttpClient _technician = null!;

    [SetUp]
    public async Task SetUp()
    {
        _sandbox = new SandboxApp();
        // The connector dates what it follows by the real clock: the emulated GLPI starts from it too.
        _sandbox.Clock.Now = DateTimeOffset.UtcNow;
        _technician = _sandbox.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        _connector = new GlpiConnectorApp(_sandbox);
        _harness = _connector.Services.GetTestHarness();
        await _harness.Start();
    }

    [TearDown]
    public async Task TearDown()
    {
        _technician.Dispose();
        await _connector.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Test]
    public async Task Brings_back_the_status_the_reply_and_the_solution_a_technician_gives_on_the_emulated_GLPI()
    {
        var routed = Routed("TH-2026-000321");
        await _harness.Bus.Publish(routed);
        var forwarded = (await ReceivedAsync<TicketForwarded>(1)).Single();
        Assert.That((await _connector.Sync.PollOnceAsync(CancellationToken.None)).Updates, Is.Zero, "a new ticket is what intake already knows");

        _sandbox.Clock.Advance(TimeSpan.FromMinutes(2));
        await ActAsync(forwarded.ExternalId, "status", ("status", "4"));
        await ActAsync(forwarded.ExternalId, "followups", ("content", "Pièce commandée, livraison lundi."));
        await _connector.Sync.PollOnceAsync(CancellationToken.None);

        var updates = await ReceivedAsync<ExternalTicketUpdated>(2);
        Assert.That(updates[0].ReplyText, Is.EqualTo("Pièce commandée, livraison lundi."));
        Assert.That(updates[0].AuthorName, Is.EqualTo("Marc Durand"));
        Assert.That(updates[1].Status, Is.EqualTo(HubStatuses.Waiting));
        Assert.That(updates[1].ExternalStatus, Is.EqualTo("4"));
        Assert.That(updates.Select(update => update.ExternalTimestamp), Is.All.EqualTo(TruncatedToSeconds(_sandbox.Clock.Now)));

        await _harness.Bus.Publish(new TicketCommentAdded(routed.TicketId, routed.Reference, Guid.NewGuid(), "Le bureau est ouvert lundi dès 8 h.",
            "Claire Martin", DateTimeOffset.UtcNow, ExternalTools.Glpi, forwarded.ExternalId));
        Assert.That(await _harness.Consumed.Any<TicketCommentAdded>(), Is.True);
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(3));
        await ActAsync(forwarded.ExternalId, "solution", ("content", "Carte réseau remplacée."));
        await _connector.Sync.PollOnceAsync(CancellationToken.None);

        updates = await ReceivedAsync<ExternalTicketUpdated>(4);
        Assert.That(updates[2].ReplyText, Is.EqualTo("Carte réseau remplacée."));
        Assert.That(updates[2].ExternalEventId, Does.StartWith("solution:"));
        Assert.That(updates[3].Status, Is.EqualTo(HubStatuses.Resolved));
        var ticket = (await _technician.GetFromJsonAsync<JsonElement>(new Uri("/glpi/_sandbox/tickets", UriKind.Relative)))[0];
        Assert.That(ticket.GetProperty("followups").EnumerateArray().Select(followup => followup.GetProperty("content").GetString()),
            Has.Some.StartsWith("<p><strong>Message du collège (Claire Martin)</strong>"), "the comment reached GLPI");
        Assert.That((await _connector.Sync.PollOnceAsync(CancellationToken.None)).Updates, Is.Zero, "and did not come back as a reply");
    }

    /// <summary>Plays the technician: posts a form of the ticket's page, with its antiforgery token.</summary>
    private async Task ActAsync(string glpiId, string action, params (string Name, string Value)[] fields)
    {
        var page = await _technician.GetStringAsync(new Uri($"/glpi/tickets/{glpiId}", UriKind.Relative));
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent([
            .. fields.Select(field => new KeyValuePair<string, string>(field.Name, field.Value)),
            new KeyValuePair<string, string>("__RequestVerificationToken", token),
            new KeyValuePair<string, string>("back", "ticket")]);
        using var response = await _technician.PostAsync(new Uri($"/glpi/tickets/{glpiId}/{action}", UriKind.Relative), form);
        Assert.That((int)response.StatusCode, Is.EqualTo(302), $"{action} form");
    }

    /// <summary>The first <paramref name="count"/> messages of type <typeparamref name="T"/> the connector published.</summary>
    private async Task<List<T>> ReceivedAsync<T>(int count)
        where T : class
    {
        var messages = new List<T>();
        await foreach (var published in _harness.Published.SelectAsync<T>())
        {
            messages.Add(published.Context.Message);
            if (messages.Count == count)
            {
                break;
            }
        }

        Assert.That(messages, Has.Count.EqualTo(count), $"fewer {typeof(T).Name} than expected");
        return messages;
    }

    private static DateTimeOffset TruncatedToSeconds(DateTimeOffset value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, value.Offset);

    private static TicketRouted Routed(string reference) => new(
        Guid.NewGuid(),
        reference,
        DateTimeOffset.UtcNow,
        new TicketDetails("0931234X", new Requester("Claire Martin", "claire.martin@ac-creteil.fr", null), "ZP", "reseau", "incident",
            BuildingImpact: false, Title: "Plus de réseau en salle 12", Description: "Aucun poste ne se connecte.", "high",
            Location: "Salle 12", Equipment: null),
        new RouteDecision(RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4", "93-2026.1", "Zone pédagogique : infogérant.", []),
        new CollegeSnapshot("0931234X", "Collège Jean Moulin", "Montreuil", "UT2"),
        DateTimeOffset.UtcNow);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
