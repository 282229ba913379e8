using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Connectors.Glpi.Forwarding;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>
/// The connector against the real GLPI 10.0.11 (<see cref="RealGlpiSettings"/>), the broker played by
/// MassTransit's harness: the crash windows of creation and upload (GLPI did it, the connector died
/// before recording it), and what a technician does coming back to the hub as readable text, with
/// the collège's own comment never echoed. Each test has references of its own, so they run again
/// and again on the same GLPI.
/// </summary>
public sealed class RealGlpiTests
{
    private static FakeIntake Intake => GlpiServers.Intake;

    private static RealGlpi Real => RealGlpiSettings.Current;

    private ConnectorApp _app = null!;

    private IGlpiApi Glpi => _app.Services.GetRequiredService<IGlpiApi>();

    [SetUp]
    public void SetUp()
    {
        Intake.Reset();
        _app = new ConnectorApp(settings: Real.ConnectorSettings());
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    [Test]
    public async Task Creates_no_second_ticket_when_GLPI_created_it_and_the_connector_died_before_recording_it()
    {
        var routed = Routed(NewReference());
        // The dead attempt: its intent committed, its POST /Ticket done by GLPI, its answer never recorded.
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);
        var mapper = _app.Services.GetRequiredService<GlpiTicketMapper>();
        var created = await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(mapper.Map(routed, GlpiRequester.None, sendExternalId: false)), CancellationToken.None);

        await _app.Harness.Bus.Publish(routed);

        var forwarded = await ForwardedAsync(routed.TicketId);
        Assert.That(forwarded.ExternalId, Is.EqualTo(created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(await TicketsNamingAsync(routed.Reference), Is.EqualTo(1), "one GLPI ticket for the reference");
        Assert.That(_app.Logs.Lines, Has.Some.Contains($"Ticket {routed.Reference} was created in GLPI as {created.Id} by an earlier attempt; reusing it"));
    }

    [Test]
    public async Task A_solution_given_before_the_connector_recorded_the_ticket_it_found_again_reaches_the_hub()
    {
        var routed = Routed(NewReference());
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);
        var mapper = _app.Services.GetRequiredService<GlpiTicketMapper>();
        var created = await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(mapper.Map(routed, GlpiRequester.None, sendExternalId: false)), CancellationToken.None);
        // While the connector is down (its claim on the ticket not yet expired), a technician solves
        // the ticket, and the other replica's search moves its cursor past that change.
        using (var technician = await TechnicianAsync())
        {
            (await technician.PostAsJsonAsync($"Ticket/{created.Id}/ITILSolution", new { input = new { itemtype = "Ticket", items_id = created.Id, content = "<p>Prise remplacée.</p>" } }))
                .EnsureSuccessStatusCode();
        }

        var zone = _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GlpiOptions>>().Value.FindTimeZone();
        await _app.Services.GetRequiredService<TicketHub.Connectors.Glpi.Sync.SyncStore>()
            .SaveCursorAsync(GlpiApiExtensions.ToGlpiDate(DateTimeOffset.UtcNow.AddMinutes(10), zone), CancellationToken.None);

        await _app.Harness.Bus.Publish(routed);
        await ForwardedAsync(routed.TicketId);
        var poll = await _app.Sync.PollOnceAsync(CancellationToken.None);

        // The updates leave through the outbox: waited for, not taken from the harness's first quiet moment.
        ExternalTicketUpdated? Resolution() => _app.Harness.Published.Select<ExternalTicketUpdated>()
            .Select(m => m.Context.Message).FirstOrDefault(m => m.TicketId == routed.TicketId && m.Status is not null);
        await Eventually.TrueAsync(() => Task.FromResult(Resolution() is not null), $"the solution given meanwhile reached the hub (poll: {poll})", seconds: 30);
        Assert.That(Resolution()!.Status, Is.EqualTo(HubStatuses.Resolved));
    }

    [Test]
    public async Task Uploads_no_second_document_when_GLPI_stored_it_and_the_connector_died_before_recording_it()
    {
        var bytes = Encoding.UTF8.GetBytes($"Relevé des prises de la salle 12 ({Guid.NewGuid():N})\n");
        var ticketId = Guid.NewGuid();
        var attachment = Intake.Serves(ticketId, "relevé salle 12.txt", "text/plain", bytes);
        var routed = Routed(NewReference()) with { TicketId = ticketId };
        routed = routed with { Ticket = routed.Ticket with { Attachments = [attachment] } };
        var mapper = _app.Services.GetRequiredService<GlpiTicketMapper>();
        var glpiId = (await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(mapper.Map(routed, GlpiRequester.None, sendExternalId: false)), CancellationToken.None)).Id;
        await _app.HoldsTicketAsync(ticketId, routed.Reference, glpiId, DateTimeOffset.UtcNow);
        // The dead attempt: "posting" committed, the upload stored and linked (and renamed) by GLPI, its answer lost.
        await _app.RecordPostingAsync(ticketId, attachment);
        var input = new GlpiDocumentInput { Name = GlpiDocuments.Name(routed.Reference, attachment), FileNames = [attachment.FileName], ItemId = glpiId, EntityId = 1 };
        using (var upload = GlpiDocumentUpload.Create(input, attachment.FileName, attachment.ContentType, bytes))
        {
            await Glpi.UploadDocumentAsync(upload, CancellationToken.None);
        }

        var links = await Glpi.GetAllTicketDocumentLinksAsync(glpiId, CancellationToken.None);
        await _app.Harness.Bus.Publish(routed);

        await Eventually.TrueAsync(async () => (await _app.SentDocumentAsync(attachment.Id))?.State == "sent", "file settled", seconds: 30);
        var sent = await _app.SentDocumentAsync(attachment.Id);
        Assert.That(sent?.DocumentId, Is.EqualTo(links.Single().DocumentId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the document GLPI had stored");
        Assert.That(await Glpi.GetAllTicketDocumentLinksAsync(glpiId, CancellationToken.None), Has.Count.EqualTo(1), "one document on the ticket");
    }

    [Test]
    public async Task Brings_a_technician_s_status_reply_and_solution_back_as_readable_text_and_never_echoes_the_college_s_comment()
    {
        var routed = Routed(NewReference());
        var mapper = _app.Services.GetRequiredService<GlpiTicketMapper>();
        var glpiId = (await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(mapper.Map(routed, GlpiRequester.None, sendExternalId: false)), CancellationToken.None)).Id;
        await _app.HoldsTicketAsync(routed.TicketId, routed.Reference, glpiId, DateTimeOffset.UtcNow.AddMinutes(-1));
        await _app.Harness.Bus.Publish(new TicketCommentAdded(routed.TicketId, routed.Reference, Guid.NewGuid(),
            "Le câble <HDMI> & la télécommande\nsont dans l'armoire.", "Claire Dubois", DateTimeOffset.UtcNow, ExternalTools.Glpi, glpiId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await Eventually.TrueAsync(async () => (await FollowupsAsync(glpiId)).Count == 1, "the comment reached GLPI", seconds: 30);

        using var technician = await TechnicianAsync();
        (await technician.PutAsJsonAsync($"Ticket/{glpiId}", new { input = new { status = 2 } })).EnsureSuccessStatusCode();
        (await technician.PostAsJsonAsync($"Ticket/{glpiId}/ITILFollowup", new { input = new { itemtype = "Ticket", items_id = glpiId, content = "<p>Bonjour,</p><p>Je passe jeudi &amp; j&#39;apporte le câble.</p>" } })).EnsureSuccessStatusCode();
        (await technician.PostAsJsonAsync($"Ticket/{glpiId}/ITILSolution", new { input = new { itemtype = "Ticket", items_id = glpiId, content = "<p>Câble &lt;HDMI&gt; remplacé.</p>" } })).EnsureSuccessStatusCode();
        var poll = await _app.Sync.PollOnceAsync(CancellationToken.None);

        var updates = new List<ExternalTicketUpdated>();
        await foreach (var published in _app.Harness.Published.SelectAsync<ExternalTicketUpdated>())
        {
            updates.Add(published.Context.Message);
            if (updates.Count == 3)
            {
                break;
            }
        }

        Assert.That(poll.Searched, Is.True);
        Assert.That(updates.Where(update => update.ReplyText is not null).Select(update => update.ReplyText),
            Is.EquivalentTo(new[] { "Bonjour,\n\nJe passe jeudi & j'apporte le câble.", "Câble <HDMI> remplacé." }), "readable text, not GLPI's encoded HTML");
        Assert.That(updates.Single(update => update.Status is not null).Status, Is.EqualTo(HubStatuses.Resolved));
        Assert.That((await FollowupsAsync(glpiId)).Count, Is.EqualTo(2), "the collège's comment once, the technician's reply");
        Assert.That(updates.Select(update => update.ReplyText ?? ""), Has.None.Contains("armoire"), "the collège's own comment is not sent back");
    }

    /// <summary>A reference of this run (TH-8xxx-nnnnnn), never given to a real ticket.</summary>
    private static string NewReference() => $"TH-8{Random.Shared.Next(100, 999)}-{Random.Shared.Next(100000, 999999)}";

    private static TicketRouted Routed(string reference) => TestTickets.Routed(reference: reference);

    private async Task<TicketForwarded> ForwardedAsync(Guid ticketId)
    {
        await foreach (var published in _app.Harness.Published.SelectAsync<TicketForwarded>(message => message.Context.Message.TicketId == ticketId))
        {
            return published.Context.Message;
        }

        throw new AssertionException("no TicketForwarded");
    }

    /// <summary>How many GLPI tickets carry the reference in their title, by GLPI's own search.</summary>
    private async Task<int> TicketsNamingAsync(string reference)
    {
        using var response = await Glpi.SearchTicketsAsync(new Dictionary<string, string>
        {
            ["criteria[0][field]"] = "1",
            ["criteria[0][searchtype]"] = "contains",
            ["criteria[0][value]"] = $"[{reference}]",
            ["forcedisplay[0]"] = "2",
        }, CancellationToken.None);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("totalcount").GetInt32();
    }

    private async Task<List<GlpiFollowup>> FollowupsAsync(int glpiId) => await Glpi.GetAllFollowupsAsync(glpiId, CancellationToken.None);

    /// <summary>A technician of the infogérant: GLPI's super-admin, logged in with its password.</summary>
    private static async Task<HttpClient> TechnicianAsync()
    {
        var client = new HttpClient { BaseAddress = new Uri(Real.Api.TrimEnd('/') + "/") };
        client.DefaultRequestHeaders.Add("App-Token", Real.AppToken);
        using var login = new HttpRequestMessage(HttpMethod.Get, "initSession");
        login.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("glpi:glpi")));
        using var response = await client.SendAsync(login);
        response.EnsureSuccessStatusCode();
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Add("Session-Token", session.GetProperty("session_token").GetString());
        return client;
    }
}
