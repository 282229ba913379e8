using System.Net;
using System.Text.Json;
using TicketHub.ServiceDefaults.Security;
using WireMock.RequestBuilders;

namespace TicketHub.Portal.Tests;

/// <summary>One fault, one ticket (issue 16): the form offers the collège's open tickets that read like the request, and following one.</summary>
public sealed class SimilarTicketsFormTests : PortalTest
{
    private static readonly HubUser Teacher = new("prof-durand", "Paul Durand", HubRoles.College, Fakes.College, false);

    private static readonly Guid OpenTicket = Guid.Parse("0193a4c2-0000-7000-8000-000000000204");

    private void ClassifierFindsTheOpenTicket() =>
        Classifier.Given(Request.Create().WithPath("/api/v1/suggestions").UsingPost())
            .RespondWith(Fakes.Json(new
            {
                zone = "ZP", zoneConfidence = 0.9, zoneConfident = true, category = "vpi", categoryLabel = "VPI", categoryConfidence = 0.9, categoryConfident = false,
                threshold = 0.7,
                similar = new[]
                {
                    new
                    {
                        id = OpenTicket, reference = "TH-2026-000204", title = "Vidéoprojecteur de la 204 éteint", category = "vpi", location = "Salle 204",
                        status = "in-progress", routeTarget = "infogerant", tool = "glpi", createdAt = "2026-12-01T08:00:00Z", likeness = 0.41,
                    },
                },
            }));

    [Test]
    public async Task A_request_like_an_open_ticket_is_shown_it_once_with_a_button_to_follow_it_and_nothing_is_sent()
    {
        ClassifierFindsTheOpenTicket();
        using var browser = Portal.BrowserFor(Teacher);
        var page = await browser.GetStringAsync("/demandes/nouvelle");

        using var response = await browser.PostAsync("/demandes/nouvelle", Form(page));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(html, Does.Contain("Ce problème a peut-être déjà été signalé").And.Contain("Vidéoprojecteur de la 204 éteint")
            .And.Contain("TH-2026-000204").And.Contain("En cours"));
        Assert.That(html, Does.Match($"<button type=\"submit\"[^>]*form=\"demande\" formaction=\"/demandes/nouvelle\\?handler=Suivre\" name=\"FollowTicket\" value=\"{OpenTicket}\""));
        Assert.That(html, Does.Contain("name=\"Input.SuggestionShown\" value=\"true\""), "shown once: sending again sends");
        var asked = JsonDocument.Parse(Classifier.LogEntries.Single(e => e.RequestMessage.Path == "/api/v1/suggestions").RequestMessage.Body!).RootElement;
        Assert.That(asked.GetProperty("collegeUai").GetString(), Is.EqualTo(Fakes.College));
        Assert.That(Intake.LogEntries, Is.Empty, "nothing sent before the person decides");
    }

    [Test]
    public async Task Following_sends_what_the_person_wrote_to_the_open_ticket_and_opens_its_page()
    {
        ClassifierFindsTheOpenTicket();
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{OpenTicket}/followers").UsingPost())
            .RespondWith(Fakes.Json(new { name = "Paul Durand", reason = "reported", since = "2026-12-06T10:00:00Z" }, HttpStatusCode.Created));
        using var browser = Portal.BrowserFor(Teacher);
        var page = await browser.GetStringAsync("/demandes/nouvelle");

        using var response = await browser.PostAsync("/demandes/nouvelle?handler=Suivre", Form(page, follow: OpenTicket));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/demandes/{OpenTicket}?message=suivi"));
        var sent = JsonDocument.Parse(Intake.LogEntries.Single().RequestMessage.Body!).RootElement;
        Assert.That(sent.GetProperty("email").GetString(), Is.EqualTo("paul.durand@ac-creteil.fr"));
        Assert.That(sent.GetProperty("text").GetString(), Is.EqualTo("Le VPI de la 204 ne s'allume plus\nPlus d'image depuis la récréation."));
        Assert.That(Intake.LogEntries.Any(e => e.RequestMessage.Path == "/api/v1/tickets"), Is.False, "no second ticket");
    }

    [Test]
    public async Task A_ticket_that_can_no_longer_be_followed_says_why_and_keeps_the_form()
    {
        ClassifierFindsTheOpenTicket();
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{OpenTicket}/followers").UsingPost())
            .RespondWith(Fakes.Problem(HttpStatusCode.Conflict, "Conflit", "Ce signalement est résolu ou clos : si le problème est revenu, envoyez une nouvelle demande."));
        using var browser = Portal.BrowserFor(Teacher);
        var page = await browser.GetStringAsync("/demandes/nouvelle");

        using var response = await browser.PostAsync("/demandes/nouvelle?handler=Suivre", Form(page, follow: OpenTicket));
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("Ce signalement est résolu ou clos").And.Contain("Plus d'image depuis la récréation."));
    }

    [Test]
    public async Task While_typing_the_form_gets_the_lookalikes_as_a_fragment_of_the_page()
    {
        ClassifierFindsTheOpenTicket();
        using var browser = Portal.BrowserFor(Teacher);
        var page = await browser.GetStringAsync("/demandes/nouvelle");

        using var response = await browser.PostAsync("/demandes/nouvelle?handler=Semblables", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["Input.Title"] = "VPI 204",
            ["Input.Description"] = "Plus d'image",
        }));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(html, Does.Not.Contain("<html").And.Contain("TH-2026-000204").And.Contain("<h3"));
        Assert.That(page, Does.Contain("<script src=\"/js/similaires.js\" defer></script>").And.Contain("id=\"semblables-direct\" aria-live=\"polite\""));
    }

    [Test]
    public async Task The_lookalikes_fragment_is_empty_when_the_classifier_cannot_answer()
    {
        using var browser = Portal.BrowserFor(Teacher);
        var page = await browser.GetStringAsync("/demandes/nouvelle");

        using var response = await browser.PostAsync("/demandes/nouvelle?handler=Semblables", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["Input.Title"] = "VPI 204",
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await response.Content.ReadAsStringAsync()).Trim(), Is.Empty);
    }

    [Test]
    public async Task A_dispatcher_closes_a_duplicate_from_the_tickets_page_and_a_college_is_not_offered_it()
    {
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{Fakes.TicketId}").UsingGet()).RespondWith(Fakes.Json(Fakes.Ticket()));
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{Fakes.TicketId}/duplicate-of").UsingPost())
            .RespondWith(Fakes.Json(Fakes.Ticket(status: "closed")));
        using var dispatcher = Portal.BrowserFor(TestIdentity.Dispatcher);
        using var secretary = Portal.BrowserFor(TestIdentity.College(Fakes.College));
        var page = await dispatcher.GetStringAsync($"/demandes/{Fakes.TicketId}");

        using var response = await dispatcher.PostAsync($"/demandes/{Fakes.TicketId}?handler=Doublon", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["DuplicateOf"] = " TH-2026-000007 ",
        }));

        Assert.That(page, Does.Contain("Doublon d'une autre demande ?"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/demandes/{Fakes.TicketId}?message=doublon"));
        var sent = JsonDocument.Parse(Intake.LogEntries.Single(e => e.RequestMessage.Method == "POST").RequestMessage.Body!).RootElement;
        Assert.That(sent.GetProperty("ticket").GetString(), Is.EqualTo("TH-2026-000007"));
        Assert.That(await secretary.GetStringAsync($"/demandes/{Fakes.TicketId}"), Does.Not.Contain("Clore comme doublon"));
    }

    private static MultipartFormDataContent Form(string page, Guid? follow = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent(System.Text.RegularExpressions.Regex.Match(page, "name=\"Input.FormId\" value=\"([0-9a-f-]+)\"").Groups[1].Value), "Input.FormId" },
            { new StringContent("vpi"), "Input.Category" },
            { new StringContent("ZP"), "Input.Zone" },
            { new StringContent("non"), "Input.Building" },
            { new StringContent("incident"), "Input.Type" },
            { new StringContent("normal"), "Input.Urgency" },
            { new StringContent("Le VPI de la 204 ne s'allume plus"), "Input.Title" },
            { new StringContent("Plus d'image depuis la récréation."), "Input.Description" },
            { new StringContent("Paul Durand"), "Input.RequesterName" },
            { new StringContent("paul.durand@ac-creteil.fr"), "Input.RequesterEmail" },
        };
        if (follow is { } id)
        {
            form.Add(new StringContent(id.ToString()), "FollowTicket");
        }

        return form;
    }
}
