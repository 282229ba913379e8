using System.Net;
using TicketHub.ServiceDefaults.Security;
using WireMock.RequestBuilders;

namespace TicketHub.Portal.Tests;

public sealed class AccessTests : PortalTest
{
    [TestCase("/", "%2F")]
    [TestCase("/demandes/nouvelle", "%2Fdemandes%2Fnouvelle")]
    [TestCase("/demandes?statut=resolved", "%2Fdemandes%3Fstatut%3Dresolved")]
    public async Task Without_a_token_a_page_sends_the_browser_to_the_gateway_login_and_back(string path, string back)
    {
        using var browser = Portal.BrowserFor(null);

        using var response = await browser.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo($"/connexion?retour={back}"));
    }

    [Test]
    public async Task A_token_from_another_issuer_is_no_identity()
    {
        using var browser = Portal.BrowserFor(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        var (foreignKey, _) = InternalTokens.NewKeyPair();
        var options = new InternalTokenOptions { SigningKey = foreignKey };
        request.Headers.Authorization = new("Bearer", InternalTokens.Issue(TestIdentity.Admin, options, InternalTokens.LoadSigningKey(options), DateTimeOffset.UtcNow));

        using var response = await browser.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    private static IEnumerable<TestCaseData> RefusedPages()
    {
        yield return new TestCaseData(TestIdentity.College(Fakes.College), "/admin");
        yield return new TestCaseData(TestIdentity.College(Fakes.College), "/aiguillage");
        yield return new TestCaseData(TestIdentity.College(Fakes.College), "/infogerant");
        yield return new TestCaseData(TestIdentity.Infogerant, "/demandes/nouvelle");
        yield return new TestCaseData(TestIdentity.Infogerant, "/rectorat");
        yield return new TestCaseData(TestIdentity.Rectorat, "/omere");
        yield return new TestCaseData(TestIdentity.Omere, "/rectorat");
        yield return new TestCaseData(TestIdentity.Dispatcher, "/admin");
    }

    [TestCaseSource(nameof(RefusedPages))]
    public async Task A_role_page_answers_the_French_403_page_to_other_roles(HubUser user, string path)
    {
        using var browser = Portal.BrowserFor(user);

        using var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(html, Does.Contain("<h1>Accès refusé</h1>").And.Contain("lang=\"fr\""));
        Assert.That(Intake.LogEntries, Is.Empty, "a refused page calls no service");
    }

    [TestCase("/")]
    [TestCase("/demandes")]
    public async Task The_menu_offers_only_what_the_role_can_use(string path)
    {
        Intake.Given(Request.Create().WithPath("/api/v1/tickets").UsingGet()).RespondWith(Fakes.Json(new { items = Array.Empty<object>(), next = (string?)null }));
        using var college = Portal.BrowserFor(TestIdentity.College(Fakes.College));
        using var admin = Portal.BrowserFor(TestIdentity.Admin);

        var collegeHtml = await college.GetStringAsync(path);
        var adminHtml = await admin.GetStringAsync(path);

        Assert.That(collegeHtml, Does.Contain("href=\"/demandes/nouvelle\"").And.Not.Contain("href=\"/admin\"").And.Not.Contain("href=\"/aiguillage\"").And.Not.Contain("href=\"/visite\""));
        Assert.That(adminHtml, Does.Contain("href=\"/admin\"").And.Contain("href=\"/aiguillage\"").And.Contain("href=\"/infogerant\"").And.Contain("href=\"/visite\""));
    }

    [Test]
    public async Task A_ticket_intake_refuses_gives_the_same_403_page_as_a_ticket_that_does_not_exist()
    {
        Intake.Given(Request.Create().WithPath("/api/v1/tickets/TH-2026-000001").UsingGet())
            .RespondWith(Fakes.Problem(HttpStatusCode.Forbidden, "Accès refusé", "Vous n'avez pas accès à cette demande."));
        Intake.Given(Request.Create().WithPath("/api/v1/tickets/TH-2026-999999").UsingGet())
            .RespondWith(Fakes.Problem(HttpStatusCode.Forbidden, "Accès refusé", "Vous n'avez pas accès à cette demande."));
        using var browser = Portal.BrowserFor(TestIdentity.College("0931235A"));

        using var other = await browser.GetAsync("/demandes/TH-2026-000001");
        using var missing = await browser.GetAsync("/demandes/TH-2026-999999");
        var otherHtml = await other.Content.ReadAsStringAsync();

        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(otherHtml.Replace("TH-2026-000001", "X"), Is.EqualTo((await missing.Content.ReadAsStringAsync()).Replace("TH-2026-999999", "X")));
        Assert.That(otherHtml, Does.Contain("Accès refusé").And.Not.Contain("TH-2026-000001"));
    }

    [Test]
    public async Task The_user_token_is_forwarded_to_the_services()
    {
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{Fakes.TicketId}").UsingGet()).RespondWith(Fakes.Json(Fakes.Ticket()));
        using var browser = Portal.BrowserFor(TestIdentity.College(Fakes.College));

        using var response = await browser.GetAsync($"/demandes/{Fakes.TicketId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var authorization = Intake.LogEntries.Single().RequestMessage.Headers!["Authorization"].Single();
        Assert.That(authorization, Does.StartWith("Bearer ey"));
    }
}
