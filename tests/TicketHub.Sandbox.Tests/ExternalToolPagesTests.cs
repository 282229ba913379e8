using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TicketHub.Sandbox.Tests;

/// <summary>The PASS and Omère pages where a person plays the tool's technician, seen through the contract.</summary>
[TestFixture("pass")]
[TestFixture("omere")]
public sealed partial class ExternalToolPagesTests(string tool)
{
    private SandboxApp _sandbox = null!;
    private HttpClient _browser = null!;
    private HttpClient _api = null!;
    private string _id = "";

    [SetUp]
    public async Task SetUp()
    {
        _sandbox = new SandboxApp();
        _browser = _sandbox.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        _api = _sandbox.ToolClient(tool);
        _id = (await ToolTickets.CreateAsync(_api, "TH-<7>", "<script>alert(1)</script>")).GetProperty("id").GetString()!;
    }

    [TearDown]
    public async Task TearDown()
    {
        _api.Dispose();
        _browser.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Test]
    public async Task Lists_the_tool_and_the_mailbox_on_the_home_page()
    {
        var html = await _browser.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.That(html, Does.Contain($"href=\"/{tool}\">").And.Contain($"/{tool}/api"));
        Assert.That(html, Does.Contain("href=\"/courriels\">Courriels</a>"));
    }

    [Test]
    public async Task Shows_received_tickets_with_every_value_escaped()
    {
        using var response = await _browser.GetAsync(new Uri($"/{tool}", UriKind.Relative));
        var list = await response.Content.ReadAsStringAsync();
        var page = await _browser.GetStringAsync(new Uri($"/{tool}/tickets/{_id}", UriKind.Relative));

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'"));
        foreach (var html in new[] { list, page })
        {
            Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.Contain("TH-&lt;7&gt;"));
            Assert.That(html, Does.Not.Contain("<script"));
        }

        Assert.That(list, Does.Contain(WebUtility.HtmlEncode("Collège Jean Moulin")).And.Contain("UT2").And.Contain("Haute").And.Contain("Nouveau").And.Contain("2026-11-20 09:00:00"));
        Assert.That(page, Does.Contain("Claire Martin").And.Contain("consulter le DAT").And.Contain(WebUtility.HtmlEncode("Le bâti relève de l'UT du collège."))
            .And.Contain("Depuis ce matin.").And.Contain("JSON reçu"));
    }

    [Test]
    public async Task A_status_changed_from_the_form_moves_updatedAt_and_shows_in_the_changes()
    {
        var token = await AntiforgeryTokenAsync($"/{tool}");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(7));
        var since = Uri.EscapeDataString("2026-11-20T09:05:00Z");
        var before = await _api.GetFromJsonAsync<JsonElement>($"tickets?updatedSince={since}");

        using var response = await _browser.PostAsync(new Uri($"/{tool}/tickets/{_id}/status", UriKind.Relative), Form(token, ("status", "solved"), ("back", "list")));

        Assert.That((response.StatusCode, response.Headers.Location?.OriginalString), Is.EqualTo((HttpStatusCode.Redirect, $"/{tool}")));
        Assert.That(before.GetProperty("items").GetArrayLength(), Is.Zero);
        var after = await _api.GetFromJsonAsync<JsonElement>($"tickets?updatedSince={since}");
        var ticket = after.GetProperty("items").EnumerateArray().Single();
        Assert.That(ticket.GetProperty("id").GetString(), Is.EqualTo(_id));
        Assert.That(ticket.GetProperty("status").GetString(), Is.EqualTo("solved"));
        Assert.That(ToolTickets.UpdatedAt(ticket), Is.EqualTo(new DateTimeOffset(2026, 11, 20, 9, 7, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task Never_moves_updatedAt_backwards_even_when_the_clock_does()
    {
        var token = await AntiforgeryTokenAsync($"/{tool}/tickets/{_id}");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(-10));

        using var assigned = await _browser.PostAsync(new Uri($"/{tool}/tickets/{_id}/status", UriKind.Relative), Form(token, ("status", "assigned")));
        using var same = await _browser.PostAsync(new Uri($"/{tool}/tickets/{_id}/status", UriKind.Relative), Form(token, ("status", "assigned")));

        var ticket = await ToolTickets.GetAsync(_api, _id);
        Assert.That(ticket.GetProperty("status").GetString(), Is.EqualTo("assigned"));
        Assert.That(ToolTickets.UpdatedAt(ticket), Is.GreaterThan(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero)));
        Assert.That(ToolTickets.UpdatedAt(ticket), Is.LessThan(new DateTimeOffset(2026, 11, 20, 9, 0, 1, TimeSpan.Zero)), "the same status again changes nothing");
    }

    [Test]
    public async Task Writes_a_public_reply_and_a_private_note_as_the_technician()
    {
        var token = await AntiforgeryTokenAsync($"/{tool}/tickets/{_id}");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(1));

        using var reply = await _browser.PostAsync(new Uri($"/{tool}/tickets/{_id}/messages", UriKind.Relative),
            Form(token, ("body", "Passage <jeudi>"), ("visibility", "public"), ("back", "ticket")));
        using var note = await _browser.PostAsync(new Uri($"/{tool}/tickets/{_id}/messages", UriKind.Relative),
            Form(token, ("body", "Voir le DAT d'abord."), ("visibility", "private"), ("back", "ticket")));

        Assert.That(reply.Headers.Location?.OriginalString, Is.EqualTo($"/{tool}/tickets/{_id}"));
        var ticket = await ToolTickets.GetAsync(_api, _id);
        var messages = ticket.GetProperty("messages").EnumerateArray().ToArray();
        Assert.That(messages.Select(message => (message.GetProperty("body").GetString(), message.GetProperty("authorRole").GetString(), message.GetProperty("public").GetBoolean())),
            Is.EqualTo(new[] { ("Passage <jeudi>", "technician", true), ("Voir le DAT d'abord.", "technician", false) }));
        Assert.That(messages[0].GetProperty("hubMessageId").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(ToolTickets.UpdatedAt(ticket), Is.GreaterThan(new DateTimeOffset(2026, 11, 20, 9, 1, 0, TimeSpan.Zero)), "two changes in one instant: the second one later still");
        Assert.That(await _browser.GetStringAsync(new Uri($"/{tool}/tickets/{_id}", UriKind.Relative)),
            Does.Contain("Passage &lt;jeudi&gt;").And.Contain("note privée"));
    }

    [Test]
    public async Task Refuses_a_form_posted_without_its_antiforgery_token()
    {
        using var response = await _browser.PostAsync(new Uri($"/{tool}/tickets/{_id}/status", UriKind.Relative), Form(null, ("status", "closed")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ToolTickets.GetAsync(_api, _id)).GetProperty("status").GetString(), Is.EqualTo("new"));
    }

    [Test]
    public async Task Lets_a_script_play_the_technician_and_start_again()
    {
        using var status = await _browser.PostAsJsonAsync(new Uri($"/{tool}/_sandbox/tickets/{_id}/status", UriKind.Relative), new { status = "pending" });
        using var reply = await _browser.PostAsJsonAsync(new Uri($"/{tool}/_sandbox/tickets/{_id}/messages", UriKind.Relative), new { body = "Je passe jeudi." });
        var tickets = await _browser.GetFromJsonAsync<JsonElement[]>(new Uri($"/{tool}/_sandbox/tickets", UriKind.Relative));

        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(reply.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(tickets![0].GetProperty("status").GetString(), Is.EqualTo("pending"));
        Assert.That(tickets[0].GetProperty("received").GetProperty("college").GetProperty("uai").GetString(), Is.EqualTo("0931234X"));
        Assert.That(tickets[0].GetProperty("messages")[0].GetProperty("public").GetBoolean(), Is.True);

        using var reset = await _browser.DeleteAsync(new Uri($"/{tool}/_sandbox/tickets", UriKind.Relative));
        Assert.That(await _browser.GetFromJsonAsync<JsonElement[]>(new Uri($"/{tool}/_sandbox/tickets", UriKind.Relative)), Is.Empty);
    }

    private async Task<string> AntiforgeryTokenAsync(string page)
    {
        var html = await _browser.GetStringAsync(new Uri(page, UriKind.Relative));
        return AntiforgeryField().Match(html).Groups[1].Value;
    }

    private static FormUrlEncodedContent Form(string? token, params (string Name, string Value)[] fields) =>
        new([.. fields.Select(field => new KeyValuePair<string, string>(field.Name, field.Value)),
            .. token is null ? [] : new[] { new KeyValuePair<string, string>("__RequestVerificationToken", token) }]);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
