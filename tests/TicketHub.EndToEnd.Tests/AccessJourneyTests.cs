using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.EndToEnd.Tests.Infrastructure;
using TicketHub.ServiceDefaults.Security;
using static TicketHub.EndToEnd.Tests.HubSystem;

namespace TicketHub.EndToEnd.Tests;

/// <summary>
/// Who may do what, on the running hub: the gateway refuses callers without credentials and
/// ignores identities a client makes up; each service refuses a request that bypasses the gateway,
/// and keeps a collège to its own tickets.
/// </summary>
[NonParallelizable]
public class AccessJourneyTests
{
    [Test]
    public async Task Call_without_an_API_key_or_session_gets_a_French_401_at_the_gateway()
    {
        using var anonymous = ClientWithKey(null);

        using var response = await anonymous.PostAsJsonAsync("/api/v1/tickets", TicketBody());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Authentification requise"));
    }

    [Test]
    public async Task Made_up_user_header_is_ignored_a_college_stays_a_college()
    {
        using var college = ClientWithKey(Identity.KeyFor(HubRoles.College));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/dead-letters");
        request.Headers.Add("X-TicketHub-User", "admin");

        using var response = await college.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Made_up_user_header_without_credentials_gets_401()
    {
        using var anonymous = ClientWithKey(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/triage");
        request.Headers.Add("X-TicketHub-User", "dispatcher.tie@seinesaintdenis.fr");

        using var response = await anonymous.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Bearer_token_forged_with_another_key_is_refused_by_the_gateway()
    {
        using var anonymous = ClientWithKey(null);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ForgedAdminToken());

        using var response = await anonymous.GetAsync("/api/v1/admin/dead-letters");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Person_signed_in_on_the_gateways_page_files_a_ticket_for_their_college()
    {
        var (login, _, uai, password) = Identity.Users.First(u => u.Role == HubRoles.College);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Gateway.BaseAddress };
        var session = await SignInAsync(browser, login, password);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = JsonContent.Create(TicketBody(uai!)) };
        request.Headers.Add("Cookie", session);
        request.Headers.Add("X-TicketHub-Csrf", "1");

        using var response = await browser.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
    }

    // The tests below need every service to check the gateway's token (the services' part of the
    // identity work): they hold once both parts are merged.

    [Test]
    public async Task Request_straight_to_intake_without_the_gateways_token_is_refused()
    {
        using var direct = new HttpClient { BaseAddress = Intake.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        direct.DefaultRequestHeaders.Add("X-TicketHub-User", "admin");
        direct.DefaultRequestHeaders.Add("X-Api-Key", Identity.AdminKey);

        using var list = await direct.GetAsync("/api/v1/triage");
        using var create = await direct.PostAsJsonAsync("/api/v1/tickets", TicketBody());

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "an API key means nothing past the gateway");
        Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Request_straight_to_intake_with_a_forged_token_is_refused()
    {
        using var direct = new HttpClient { BaseAddress = Intake.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ForgedAdminToken());

        using var response = await direct.GetAsync("/api/v1/triage");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task College_key_reading_another_colleges_ticket_gets_the_same_403_as_for_a_missing_ticket()
    {
        var (other, _) = await SubmitAsync(TicketBody(uai: "0931235A", zone: "ZA", category: "poste-administratif"));
        using var college = ClientWithKey(Identity.KeyFor(HubRoles.College));
        var (own, _) = await SubmitAsync(TicketBody(uai: KnownCollege));

        using var mine = await college.GetAsync($"/api/v1/tickets/{own}");
        using var theirs = await college.GetAsync($"/api/v1/tickets/{other}");
        using var missing = await college.GetAsync($"/api/v1/tickets/{Guid.NewGuid()}");

        Assert.That(mine.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(theirs.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a 403 never tells whether the ticket exists");
        var theirsProblem = await theirs.Content.ReadFromJsonAsync<JsonObject>();
        var missingProblem = await missing.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(theirsProblem!["detail"]!.GetValue<string>(), Is.EqualTo(missingProblem!["detail"]!.GetValue<string>()));
        Assert.That(theirsProblem["title"]!.GetValue<string>(), Is.EqualTo(missingProblem["title"]!.GetValue<string>()));
    }

    /// <summary>An admin token signed with a key that is not the gateway's.</summary>
    private static string ForgedAdminToken()
    {
        var (otherKey, _) = InternalTokens.NewKeyPair();
        var options = new InternalTokenOptions { SigningKey = otherKey };
        return InternalTokens.Issue(new HubUser("intrus", "Intrus", HubRoles.Admin, null, false), options, InternalTokens.LoadSigningKey(options), DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// Signs in on <c>/connexion</c> as a browser would; the session cookie as a <c>Cookie</c> header
    /// value. Cookies are handled by hand: the session cookie is Secure and this gateway is on
    /// plain http, which a browser accepts on 127.0.0.1 but .NET's cookie container does not.
    /// </summary>
    private static async Task<string> SignInAsync(HttpClient browser, string login, string password)
    {
        using var page = await browser.GetAsync("/connexion");
        var html = await page.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var antiforgery = Cookies(page).Single(c => c.StartsWith("TicketHub-Antiforgery=", StringComparison.Ordinal));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/connexion")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["login"] = login,
                ["password"] = password,
            }),
        };
        post.Headers.Add("Cookie", antiforgery);
        using var signedIn = await browser.SendAsync(post);
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther), await signedIn.Content.ReadAsStringAsync());
        return Cookies(signedIn).Single(c => c.StartsWith("__Host-TicketHub=", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];
}
