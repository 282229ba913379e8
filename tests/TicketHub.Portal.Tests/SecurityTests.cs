using System.Net;
using System.Net.Http.Headers;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Portal.Tests;

public sealed class SecurityTests : PortalTest
{
    [Test]
    public async Task A_form_posted_without_the_antiforgery_token_is_refused_with_a_French_page()
    {
        using var browser = Portal.BrowserFor(TestIdentity.College(Fakes.College));
        await browser.GetStringAsync("/demandes/nouvelle"); // the antiforgery cookie, but no token in the post

        using var response = await browser.PostAsync("/demandes/nouvelle", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Title"] = "Sans jeton",
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Le formulaire a expiré"));
        Assert.That(Intake.LogEntries.Where(e => e.RequestMessage.Method == "POST"), Is.Empty);
    }

    [Test]
    public async Task The_antiforgery_token_of_another_user_is_refused()
    {
        using var mine = Portal.BrowserFor(TestIdentity.College(Fakes.College));
        var token = AntiforgeryToken(await mine.GetStringAsync("/demandes/nouvelle"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/demandes/nouvelle")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestIdentity.TokenFor(TestIdentity.College("0931235A")));

        using var response = await mine.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Every_page_carries_the_security_headers()
    {
        using var browser = Portal.BrowserFor(TestIdentity.Admin);

        using var response = await browser.GetAsync("/");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.That(csp, Does.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'").And.Not.Contain("unsafe-inline"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("same-origin"));
        Assert.That(response.Headers.CacheControl!.NoStore, Is.True);
    }

    [Test]
    public async Task Pages_have_no_inline_script_or_style()
    {
        using var browser = Portal.BrowserFor(TestIdentity.College(Fakes.College));

        var html = await browser.GetStringAsync("/demandes/nouvelle");

        Assert.That(html, Does.Not.Match("<script(?![^>]*\\bsrc=)"), "inline <script>");
        Assert.That(html, Does.Not.Contain(" style=\"").And.Not.Contain("<style"));
        Assert.That(html, Does.Not.Contain(" onclick=").And.Not.Contain("javascript:"));
    }

    [Test]
    public async Task The_antiforgery_cookie_is_host_only_secure_http_only_and_strict_even_behind_a_plain_http_hop()
    {
        using var portal = new PortalFactory(Intake, Classifier, new Dictionary<string, string?> { ["Identity:Cookie:Secure"] = "true" });
        using var browser = portal.CreateDefaultClient(new TicketHub.Testing.FreshTokenHandler(TestIdentity.College(Fakes.College)));

        using var response = await browser.GetAsync("/demandes/nouvelle");

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.Contains("Antiforgery", StringComparison.Ordinal));
        Assert.That(cookie, Does.StartWith("__Host-TicketHub-Antiforgery="));
        Assert.That(cookie.ToLowerInvariant(), Does.Contain("; secure").And.Contain("; httponly").And.Contain("; samesite=strict").And.Contain("; path=/"));
        Assert.That(cookie.ToLowerInvariant(), Does.Not.Contain("domain="));
    }

    [Test]
    public async Task The_antiforgery_cookie_is_not_named_like_the_gateway_cookie_the_gateway_strips()
    {
        using var browser = Portal.BrowserFor(TestIdentity.College(Fakes.College));

        using var response = await browser.GetAsync("/demandes/nouvelle");

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.Contains("Antiforgery", StringComparison.Ordinal));
        Assert.That(cookie, Does.StartWith("TicketHub-Portal-Antiforgery="));
    }

    [Test]
    public async Task Static_files_need_no_user()
    {
        using var browser = Portal.BrowserFor(null);

        using var css = await browser.GetAsync("/dsfr/dsfr.min.css");
        using var own = await browser.GetAsync("/css/portal.css");

        Assert.That(css.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_user_without_a_known_role_gets_the_403_page()
    {
        using var browser = Portal.BrowserFor(new HubUser("x", "X", "visiteur", null, false));

        using var response = await browser.GetAsync("/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private const string Planted = "Votre compte est suspendu : appelez le 01 23 45 67 89";

    [TestCase("/admin?fait=", TestName = "Success_notice_of_the_administration_page_never_shows_text_from_the_query_string")]
    [TestCase("/aiguillage?reoriente=", TestName = "Success_notice_of_the_triage_desk_never_shows_text_from_the_query_string")]
    [TestCase("/rectorat?confirme=", TestName = "Success_notice_of_the_relay_queue_never_shows_text_from_the_query_string")]
    public async Task Success_notices_never_show_text_from_the_query_string(string path)
    {
        using var browser = Portal.BrowserFor(TestIdentity.Admin);

        var html = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync(path + Uri.EscapeDataString(Planted)));

        Assert.That(html, Does.Not.Contain("appelez le 01 23 45 67 89"));
        Assert.That(html, Does.Not.Contain("fr-alert--success"));
    }

    [TestCase("/admin?fait=renvoye", "Le message a été renvoyé à son service.", TestName = "Success_notice_named_by_its_key_shows_its_fixed_text")]
    [TestCase("/admin?fait=registre&importes=12&ajoutes=2&maj=10", "Registre importé : 12 collèges (2 ajoutés, 10 mis à jour).", TestName = "Success_notice_of_a_registry_import_shows_its_counts")]
    [TestCase("/aiguillage?reoriente=TH-2026-000042", "La demande TH-2026-000042 a été réorientée.", TestName = "Success_notice_of_a_reroute_shows_the_reference")]
    public async Task Success_notices_come_from_a_fixed_list(string path, string notice)
    {
        using var browser = Portal.BrowserFor(TestIdentity.Admin);

        var html = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync(path));

        Assert.That(html, Does.Contain(notice));
    }
}
