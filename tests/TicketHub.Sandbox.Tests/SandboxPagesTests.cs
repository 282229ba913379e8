using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TicketHub.Sandbox.Tests;

/// <summary>The pages where a person plays the technician, and the JSON for scripts.</summary>
public sealed partial class SandboxPagesTests
{
    private SandboxApp _sandbox = null!;
    private HttpClient _browser = null!;

    [SetUp]
    public async Task SetUp()
    {
        _sandbox = new SandboxApp();
        _browser = _sandbox.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var api = await _sandbox.LogInAsync();
        using var created = await api.PostAsync(
            new Uri($"{SandboxApp.Api}/Ticket", UriKind.Relative),
            new StringContent("""{"input":{"name":"[TH-<7>] <script>alert(1)</script>","content":"<p onclick=\"x()\">Écran noir</p>","urgency":4}}""", Encoding.UTF8, "application/json"));
        created.EnsureSuccessStatusCode();
    }

    [TearDown]
    public async Task TearDown()
    {
        _browser.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Test]
    public async Task Lists_the_emulated_tools_on_the_home_page()
    {
        var html = await _browser.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.That(html, Does.Contain("<html lang=\"fr\">").And.Contain("href=\"/glpi\">GLPI</a>").And.Contain("/glpi/apirest.php"));
    }

    [Test]
    public async Task Shows_received_tickets_with_every_value_escaped()
    {
        using var response = await _browser.GetAsync(new Uri("/glpi", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.Contain("TH-&lt;7&gt;"));
        Assert.That(html, Does.Not.Contain("<script"));
        Assert.That(html, Does.Contain("Haute").And.Contain("Nouveau").And.Contain("2026-11-20 10:00:00"));
    }

    [Test]
    public async Task Shows_the_description_in_a_frame_that_runs_nothing()
    {
        var html = await _browser.GetStringAsync(new Uri("/glpi/tickets/1", UriKind.Relative));

        Assert.That(html, Does.Contain("<iframe sandbox=\"\""));
        Assert.That(html, Does.Contain("srcdoc=\"&lt;p onclick=&quot;x()&quot;&gt;"));
        Assert.That(html, Does.Not.Contain("<p onclick"));
    }

    [Test]
    public async Task Changes_the_status_from_the_form_and_touches_date_mod()
    {
        var token = await AntiforgeryTokenAsync("/glpi");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(3));

        using var response = await _browser.PostAsync(new Uri("/glpi/tickets/1/status", UriKind.Relative), Form(token, ("status", "5"), ("back", "list")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/glpi"));
        var ticket = (await TicketsAsync())[0];
        Assert.That(ticket.GetProperty("status").GetInt32(), Is.EqualTo(5));
        Assert.That(ticket.GetProperty("date_mod").GetString(), Is.EqualTo("2026-11-20 10:03:00"));
        Assert.That(ticket.GetProperty("solvedate").GetString(), Is.EqualTo("2026-11-20 10:03:00"));
    }

    [Test]
    public async Task Adds_a_technician_follow_up_from_the_form()
    {
        var token = await AntiforgeryTokenAsync("/glpi/tickets/1");

        using var response = await _browser.PostAsync(new Uri("/glpi/tickets/1/followups", UriKind.Relative), Form(token, ("content", "Passage <jeudi>"), ("back", "ticket")));

        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/glpi/tickets/1"));
        var followups = (await TicketsAsync())[0].GetProperty("followups");
        Assert.That(followups[0].GetProperty("content").GetString(), Is.EqualTo("<p>Passage &lt;jeudi&gt;</p>"), "as GLPI's rich-text editor writes it");
        Assert.That(followups[0].GetProperty("users_id").GetInt32(), Is.EqualTo(5), "written by the technician, not the API account");
        var page = await _browser.GetStringAsync(new Uri("/glpi/tickets/1", UriKind.Relative));
        Assert.That(page, Does.Contain("Passage &lt;jeudi&gt;"));
    }

    [Test]
    public async Task Solves_a_ticket_from_the_form_with_its_solution()
    {
        var token = await AntiforgeryTokenAsync("/glpi/tickets/1");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(7));

        using var response = await _browser.PostAsync(new Uri("/glpi/tickets/1/solution", UriKind.Relative), Form(token, ("content", "Écran <rebranché>"), ("back", "ticket")));

        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/glpi/tickets/1"));
        var ticket = (await TicketsAsync())[0];
        Assert.That(ticket.GetProperty("status").GetInt32(), Is.EqualTo(5));
        Assert.That(ticket.GetProperty("solvedate").GetString(), Is.EqualTo("2026-11-20 10:07:00"));
        Assert.That(ticket.GetProperty("solutions")[0].GetProperty("content").GetString(), Is.EqualTo("<p>&#201;cran &lt;rebranch&#233;&gt;</p>"), "as GLPI's rich-text editor writes it");
        var page = await _browser.GetStringAsync(new Uri("/glpi/tickets/1", UriKind.Relative));
        Assert.That(page, Does.Contain("<h2>Solution</h2>").And.Contain("cran &lt;rebranch").And.Contain("Marc Durand"), "escaped");
    }

    [Test]
    public async Task Refuses_a_form_posted_without_its_antiforgery_token()
    {
        using var response = await _browser.PostAsync(new Uri("/glpi/tickets/1/status", UriKind.Relative), Form(null, ("status", "6")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await TicketsAsync())[0].GetProperty("status").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Sends_GLPI_ticket_links_to_the_ticket_page()
    {
        using var response = await _browser.GetAsync(new Uri("/glpi/front/ticket.form.php?id=1", UriKind.Relative));

        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/glpi/tickets/1"));
    }

    [Test]
    public async Task Expires_every_session_on_request_of_a_script()
    {
        using var api = await _sandbox.LogInAsync();

        using var expire = await _browser.DeleteAsync(new Uri("/glpi/_sandbox/sessions", UriKind.Relative));
        using var after = await api.GetAsync(new Uri($"{SandboxApp.Api}/Ticket/1", UriKind.Relative));

        Assert.That(expire.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await after.AssertGlpiErrorAsync(401, "ERROR_SESSION_TOKEN_INVALID");
    }

    private async Task<JsonElement> TicketsAsync() =>
        await _browser.GetFromJsonAsync<JsonElement>(new Uri("/glpi/_sandbox/tickets", UriKind.Relative));

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
