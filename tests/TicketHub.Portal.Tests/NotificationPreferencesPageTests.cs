using System.Net;
using System.Text.Json;
using WireMock.RequestBuilders;

namespace TicketHub.Portal.Tests;

/// <summary>« Les courriels de TicketHub »: reached from a mail's signed link, without signing in (issue 15).</summary>
public sealed class NotificationPreferencesPageTests : PortalTest
{
    private const string Link = "/notifications?adresse=claire.martin%40ac-creteil.fr&jeton=signe";

    private void IntakeKnowsTheLink() =>
        Intake.Given(Request.Create().WithPath("/api/v1/notifications/preferences").UsingGet().WithParam("token", "signe"))
            .RespondWith(Fakes.Json(new { email = "claire.martin@ac-creteil.fr", mode = "immediate", bounced = false }));

    [Test]
    public async Task The_page_opens_without_signing_in_and_saves_the_choice()
    {
        IntakeKnowsTheLink();
        Intake.Given(Request.Create().WithPath("/api/v1/notifications/preferences").UsingPut())
            .RespondWith(Fakes.Json(new { email = "claire.martin@ac-creteil.fr", mode = "none", bounced = false }));
        using var anonymous = Portal.BrowserFor(null);

        var page = await anonymous.GetStringAsync(Link);
        using var saved = await anonymous.PostAsync(Link, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["adresse"] = "claire.martin@ac-creteil.fr",
            ["jeton"] = "signe",
            ["Mode"] = "none",
        }));

        Assert.That(page, Does.Contain("Les courriels de TicketHub").And.Contain("<strong>claire.martin@ac-creteil.fr</strong>")
            .And.Match("id=\"mode-immediate\" name=\"Mode\" value=\"immediate\" checked=\"checked\""));
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await saved.Content.ReadAsStringAsync());
        Assert.That(saved.Headers.Location!.ToString(), Does.EndWith("&message=enregistre"));
        var sent = JsonDocument.Parse(Intake.LogEntries.Single(e => e.RequestMessage.Method == "PUT").RequestMessage.Body!).RootElement;
        Assert.That((sent.GetProperty("email").GetString(), sent.GetProperty("token").GetString(), sent.GetProperty("mode").GetString()),
            Is.EqualTo(("claire.martin@ac-creteil.fr", "signe", "none")));
    }

    [Test]
    public async Task A_link_intake_does_not_recognise_is_a_403_page()
    {
        Intake.Given(Request.Create().WithPath("/api/v1/notifications/preferences").UsingGet())
            .RespondWith(Fakes.Problem(HttpStatusCode.Forbidden, "Interdit", "Ce lien n'est pas valable."));
        using var anonymous = Portal.BrowserFor(null);

        using var response = await anonymous.GetAsync("/notifications?adresse=x%40y.fr&jeton=faux");
        using var bare = await anonymous.GetAsync("/notifications");

        Assert.That((response.StatusCode, bare.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)));
    }
}
