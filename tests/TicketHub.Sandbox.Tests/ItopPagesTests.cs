using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TicketHub.Sandbox.Tests;

/// <summary>The iTop pages where a person plays the technician, and the JSON for scripts.</summary>
public sealed partial class ItopPagesTests
{
    private SandboxApp _sandbox = null!;
    private HttpClient _browser = null!;

    [SetUp]
    public async Task SetUp()
    {
        _sandbox = new SandboxApp();
        _browser = _sandbox.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        // Created through rest.php, with the sandbox's default credentials.
        var json = new JsonObject
        {
            ["operation"] = "core/create",
            ["comment"] = "TicketHub TH-<7>",
            ["class"] = "UserRequest",
            ["fields"] = new JsonObject
            {
                ["org_id"] = 12,
                ["caller_id"] = 34,
                ["title"] = "<script>alert(1)</script>",
                ["description"] = "<p onclick=\"x()\">Écran noir [TH-&lt;7&gt;]</p>",
                ["urgency"] = "2",
            },
        };
        using var created = await _browser.PostAsync(new Uri("/itop/webservices/rest.php?version=1.3", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["auth_user"] = "tickethub-rest",
            ["auth_pwd"] = "sandbox-itop-password",
            ["json_data"] = json.ToJsonString(),
        }));
        Assert.That((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32(), Is.Zero);
    }

    [TearDown]
    public async Task TearDown()
    {
        _browser.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Test]
    public async Task Lists_iTop_on_the_home_page_with_its_REST_address()
    {
        var html = await _browser.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.That(html, Does.Contain("href=\"/itop\">iTop</a>").And.Contain("/itop/webservices/rest.php"));
    }

    [Test]
    public async Task Shows_received_requests_with_every_value_escaped_and_Paris_dates()
    {
        using var response = await _browser.GetAsync(new Uri("/itop", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.Not.Contain("<script"));
        Assert.That(html, Does.Contain("R-000001").And.Contain("Haute").And.Contain("Nouveau").And.Contain("2026-11-20 10:00:00"));
        Assert.That(html, Does.Contain("value=\"ev_assign\"").And.Not.Contain("value=\"ev_close\""), "only the stimuli the state allows");
    }

    [Test]
    public async Task Shows_the_description_in_a_frame_that_runs_nothing()
    {
        var html = await _browser.GetStringAsync(new Uri("/itop/tickets/1", UriKind.Relative));

        Assert.That(html, Does.Contain("<iframe sandbox=\"\""));
        Assert.That(html, Does.Contain("srcdoc=\"&lt;p onclick=&quot;x()&quot;&gt;"));
        Assert.That(html, Does.Not.Contain("<p onclick"));
    }

    [Test]
    public async Task Moves_the_request_along_its_lifecycle_from_the_forms()
    {
        var token = await AntiforgeryTokenAsync("/itop");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(3));

        using var assigned = await _browser.PostAsync(new Uri("/itop/tickets/1/stimulus", UriKind.Relative), Form(token, ("stimulus", "ev_assign"), ("back", "list")));
        using var resolved = await _browser.PostAsync(new Uri("/itop/tickets/1/stimulus", UriKind.Relative), Form(token, ("stimulus", "ev_resolve"), ("text", "Câble remplacé."), ("back", "ticket")));

        Assert.That((assigned.StatusCode, assigned.Headers.Location?.OriginalString), Is.EqualTo((HttpStatusCode.Redirect, "/itop")));
        Assert.That(resolved.Headers.Location?.OriginalString, Is.EqualTo("/itop/tickets/1"));
        var request = (await RequestsAsync())[0];
        Assert.That(request.GetProperty("status").GetString(), Is.EqualTo("resolved"));
        Assert.That(request.GetProperty("solution").GetString(), Is.EqualTo("<p>Câble remplacé.</p>"), "HTML, as iTop 3 keeps it");
        Assert.That(request.GetProperty("agent_id").GetString(), Is.EqualTo("5"), "assigned to the technician");
        Assert.That(request.GetProperty("last_update").GetString(), Is.EqualTo("2026-11-20 10:03:00"));
        Assert.That(request.GetProperty("resolution_date").GetString(), Is.EqualTo("2026-11-20 10:03:00"));
    }

    [Test]
    public async Task Says_in_French_why_a_stimulus_is_refused()
    {
        var token = await AntiforgeryTokenAsync("/itop/tickets/1");

        using var response = await _browser.PostAsync(new Uri("/itop/tickets/1/stimulus", UriKind.Relative), Form(token, ("stimulus", "ev_close")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Action impossible").And.Contain("Invalid stimulus: &#39;ev_close&#39;"));
        Assert.That((await RequestsAsync())[0].GetProperty("status").GetString(), Is.EqualTo("new"));
    }

    [Test]
    public async Task Writes_a_technician_answer_in_the_public_log_from_the_form()
    {
        var token = await AntiforgeryTokenAsync("/itop/tickets/1");

        using var response = await _browser.PostAsync(new Uri("/itop/tickets/1/log", UriKind.Relative), Form(token, ("message", "Passage <jeudi>"), ("back", "ticket")));

        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/itop/tickets/1"));
        var entry = (await RequestsAsync())[0].GetProperty("public_log").GetProperty("entries")[0];
        Assert.That(entry.GetProperty("message").GetString(), Is.EqualTo("Passage <jeudi>"));
        Assert.That(entry.GetProperty("user_id").GetString(), Is.EqualTo("5"), "written by the technician, not the REST account");
        Assert.That(await _browser.GetStringAsync(new Uri("/itop/tickets/1", UriKind.Relative)), Does.Contain("Passage &lt;jeudi&gt;"));
    }

    [Test]
    public async Task Refuses_a_form_posted_without_its_antiforgery_token()
    {
        using var response = await _browser.PostAsync(new Uri("/itop/tickets/1/stimulus", UriKind.Relative), Form(null, ("stimulus", "ev_assign")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await RequestsAsync())[0].GetProperty("status").GetString(), Is.EqualTo("new"));
    }

    [Test]
    public async Task Sends_iTop_links_to_the_request_page()
    {
        using var details = await _browser.GetAsync(new Uri("/itop/pages/UI.php?operation=details&class=UserRequest&id=1", UriKind.Relative));
        using var other = await _browser.GetAsync(new Uri("/itop/pages/UI.php?operation=search", UriKind.Relative));

        Assert.That(details.Headers.Location?.OriginalString, Is.EqualTo("/itop/tickets/1"));
        Assert.That(other.Headers.Location?.OriginalString, Is.EqualTo("/itop"));
    }

    [Test]
    public async Task Lets_a_script_play_the_technician_and_start_again()
    {
        using var assign = await _browser.PostAsJsonAsync(new Uri("/itop/_sandbox/tickets/1/stimulus", UriKind.Relative), new { stimulus = "ev_assign" });
        using var reply = await _browser.PostAsJsonAsync(new Uri("/itop/_sandbox/tickets/1/log", UriKind.Relative), new { message = "Je passe jeudi." });
        using var refused = await _browser.PostAsJsonAsync(new Uri("/itop/_sandbox/tickets/1/stimulus", UriKind.Relative), new { stimulus = "ev_close" });
        using var unknown = await _browser.PostAsJsonAsync(new Uri("/itop/_sandbox/tickets/9/log", UriKind.Relative), new { message = "?" });

        Assert.That((await assign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString(), Is.EqualTo("assigned"));
        Assert.That((await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").GetInt32(), Is.EqualTo(1));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        using var reset = await _browser.DeleteAsync(new Uri("/itop/_sandbox/tickets", UriKind.Relative));
        Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await RequestsAsync(), Is.Empty);
    }

    private async Task<JsonElement[]> RequestsAsync() =>
        await _browser.GetFromJsonAsync<JsonElement[]>(new Uri("/itop/_sandbox/tickets", UriKind.Relative)) ?? [];

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
