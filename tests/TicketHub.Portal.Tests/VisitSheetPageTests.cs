using System.Net;
using System.Text.Json;
using TicketHub.ServiceDefaults.Security;
using WireMock.RequestBuilders;

namespace TicketHub.Portal.Tests;

/// <summary>
/// The infogérant's visit sheet (issue 14): intake's tickets and the registry's building in one page
/// per collège, and the form that records the visit, its id chosen when the sheet is shown.
/// </summary>
public sealed class VisitSheetPageTests : PortalTest
{
    private static readonly Guid Open = Guid.Parse("0b7d9c1e-6a4f-4a4e-8f7e-0b1c2d3e4f51");
    private static readonly Guid Resolved = Guid.Parse("0b7d9c1e-6a4f-4a4e-8f7e-0b1c2d3e4f52");
    private static readonly Guid Pass = Guid.Parse("0b7d9c1e-6a4f-4a4e-8f7e-0b1c2d3e4f53");

    private static object Ticket(Guid id, string reference, string title, string status, string target, string? tool, string? externalId, object? lastExchange = null, string? resolvedAt = null) => new
    {
        id, reference, title, category = "vpi", location = "Salle 12", urgency = "high", status, target, tool, externalId,
        externalUrl = (string?)null, createdAt = "2026-11-20T08:00:00Z", ageDays = 17, lastExchange, resolvedAt,
    };

    private static object Sheet() => new
    {
        at = "2026-12-07T08:00:00Z",
        today = "2026-12-07",
        colleges = new[]
        {
            new
            {
                uai = Fakes.College, name = "Collège Jean Moulin", ut = "UT1",
                lastVisit = new { id = Guid.NewGuid(), collegeUai = Fakes.College, visitedOn = "2026-11-09", technician = "Karim Benali", recordedAt = "2026-11-09T16:00:00Z", notes = Array.Empty<object>() },
                resolvedSince = "2026-11-09",
                forInfogerant = new[] { Ticket(Open, "TH-2026-000101", "VPI sans image", "in-progress", "infogerant", "glpi", "15", new { at = "2026-12-01T10:00:00Z", fromCollege = false, author = "Karim" }) },
                recentlyResolved = new[] { Ticket(Resolved, "TH-2026-000102", "Lampe grillée", "resolved", "infogerant", "glpi", "16", resolvedAt: "2026-12-02T09:00:00Z") },
                otherTeams = new[] { Ticket(Pass, "TH-2026-000103", "Pronote bloqué", "forwarded", "pass", "pass", "P-9") },
            },
        },
    };

    [Test]
    public async Task The_sheet_shows_the_building_the_tickets_to_work_and_to_confirm_and_the_other_teams_for_information()
    {
        Intake.Given(Request.Create().WithPath("/api/v1/visits/sheet").UsingGet()).RespondWith(Fakes.Json(Sheet()));
        using var browser = Portal.BrowserFor(TestIdentity.Infogerant);

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync($"/visite?college={Fakes.College}"));

        Assert.That(html, Does.Contain("Construit en 1972 : diagnostic amiante avant travaux (DAT) requis"), "the registry's year, before 1997");
        Assert.That(html, Does.Contain("Zone administrative reprise par le Département le 08/01/2024."));
        Assert.That(html, Does.Contain("Dernière visite : le 09/11/2026, par Karim Benali."));
        Assert.That(html, Does.Contain("Demandes en cours chez l'infogérant (1)").And.Contain("17 jours").And.Contain("GLPI 15"));
        Assert.That(html, Does.Contain("de l'équipe (Karim)"), "the last exchange and who wrote it");
        Assert.That(html, Does.Contain("Résolues depuis le 09/11/2026, à confirmer sur place (1)").And.Contain("02/12/2026"));
        Assert.That(html, Does.Contain($"name=\"notes[{Open}]\"").And.Contain($"name=\"notes[{Resolved}]\""));
        Assert.That(html, Does.Not.Contain($"name=\"notes[{Pass}]\""), "the other teams' tickets are for information: no note");
        Assert.That(html, Does.Contain("Pronote bloqué<br><span class=\"fr-hint-text th-inline\">Le Rectorat (PASS) · Transmise · depuis 17 jours"));
        Assert.That(html, Does.Contain("value=\"2026-").And.Contain("name=\"visitedOn\""), "today's date offered");
        var asked = Intake.LogEntries.Single(e => e.RequestMessage.Path == "/api/v1/visits/sheet").RequestMessage;
        Assert.That(asked.Query!["collegeUai"].Single(), Is.EqualTo(Fakes.College));
    }

    [Test]
    public async Task A_UT_sheet_adds_the_registrys_collèges_without_tickets()
    {
        Intake.Given(Request.Create().WithPath("/api/v1/visits/sheet").UsingGet()).RespondWith(Fakes.Json(new { at = "2026-12-07T08:00:00Z", today = "2026-12-07", colleges = Array.Empty<object>() }));
        using var browser = Portal.BrowserFor(TestIdentity.Dispatcher);

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync("/visite?ut=UT1"));

        Assert.That(html, Does.Contain("<h2 id=\"visite-0931234X\">Collège Jean Moulin"), "a collège of the UT with nothing open still gets its sheet");
        Assert.That(html, Does.Contain("Aucune visite enregistrée."));
        Assert.That(Intake.LogEntries.Single(e => e.RequestMessage.Path == "/api/v1/visits/sheet").RequestMessage.Query!["ut"].Single(), Is.EqualTo("UT1"));
    }

    [Test]
    public async Task Recording_sends_the_typed_notes_only_under_the_sheets_visit_id_and_says_what_was_done()
    {
        Intake.Given(Request.Create().WithPath("/api/v1/visits/sheet").UsingGet()).RespondWith(Fakes.Json(Sheet()));
        Intake.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/api/v1/visits/*")).UsingPut()).RespondWith(Fakes.Json(new
        {
            id = Guid.NewGuid(), collegeUai = Fakes.College, visitedOn = "2026-12-07", technician = "Karim Benali", recordedAt = "2026-12-07T16:00:00Z",
            notes = new[] { new { ticketId = Open, reference = "TH-2026-000101", commentId = Guid.NewGuid(), text = "Câble changé.", sentToTool = true } },
        }, HttpStatusCode.Created));
        using var browser = Portal.BrowserFor(TestIdentity.Infogerant);

        var (visitId, response) = await SendSheetAsync(browser, new() { ["technician"] = "Karim Benali", [$"notes[{Open}]"] = "  Câble changé.  ", [$"notes[{Resolved}]"] = "   " });
        using var _ = response;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        var sent = Intake.LogEntries.Single(e => e.RequestMessage.Method == "PUT").RequestMessage;
        Assert.That(sent.Path, Is.EqualTo($"/api/v1/visits/{visitId}"), "the id chosen with the sheet: sent twice, one visit");
        var body = JsonDocument.Parse(sent.Body!).RootElement;
        Assert.That(body.GetProperty("collegeUai").GetString(), Is.EqualTo(Fakes.College));
        Assert.That(body.GetProperty("ut").GetString(), Is.EqualTo("UT1"), "the registry's UT, for the indicators");
        Assert.That(body.GetProperty("notes").EnumerateArray().Select(n => (n.GetProperty("ticket").GetGuid(), n.GetProperty("text").GetString())),
            Is.EqualTo(new[] { (Open, "Câble changé.") }), "a blank box sends nothing");
        var after = WebUtility.HtmlDecode(await browser.GetStringAsync(response.Headers.Location!.OriginalString));
        Assert.That(after, Does.Contain("Visite du 07/12/2026 au collège 0931234X enregistrée : une note ajoutée à sa demande"));
    }

    [Test]
    public async Task A_note_intake_refuses_is_shown_in_its_box_with_what_was_typed_and_the_same_visit_id()
    {
        Intake.Given(Request.Create().WithPath("/api/v1/visits/sheet").UsingGet()).RespondWith(Fakes.Json(Sheet()));
        Intake.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/api/v1/visits/*")).UsingPut())
            .RespondWith(Fakes.Problem(HttpStatusCode.UnprocessableEntity, "Requête invalide", "La visite n'a pas été enregistrée.",
                new Dictionary<string, string[]> { ["notes[0].ticket"] = ["La demande TH-2026-000102 est close : rien ne peut plus y être ajouté."] }));
        using var browser = Portal.BrowserFor(TestIdentity.Infogerant);

        var (visitId, response) = await SendSheetAsync(browser, new() { [$"notes[{Resolved}]"] = "Confirmé." });
        using var _ = response;

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain($"<a href=\"#note-{Resolved:N}\">La demande TH-2026-000102 est close"), "the summary links to the box");
        Assert.That(html, Does.Contain("Confirmé.</textarea>"), "what was typed is kept");
        Assert.That(html, Does.Contain($"name=\"visitId\" value=\"{visitId}\""), "sent again, it is still the same visit");
    }

    /// <summary>Opens the collège's sheet, then sends its form with <paramref name="fields"/>: the sheet's visit id, and the answer.</summary>
    private static async Task<(string VisitId, HttpResponseMessage Response)> SendSheetAsync(HttpClient browser, Dictionary<string, string> fields)
    {
        var page = await browser.GetStringAsync($"/visite?college={Fakes.College}");
        var visitId = System.Text.RegularExpressions.Regex.Match(page, "name=\"visitId\" value=\"([0-9a-f-]+)\"").Groups[1].Value;
        fields["__RequestVerificationToken"] = AntiforgeryToken(page);
        fields["visitCollege"] = Fakes.College;
        fields["visitId"] = visitId;
        fields["visitedOn"] = "2026-12-07";
        return (visitId, await browser.PostAsync($"/visite?college={Fakes.College}", new FormUrlEncodedContent(fields)));
    }

    [TestCase("college")]
    [TestCase("rectorat")]
    [TestCase("omere")]
    public async Task Only_the_infogérant_and_the_Pôle_TIE_open_the_sheet(string role)
    {
        using var browser = Portal.BrowserFor(role switch
        {
            "college" => TestIdentity.College(Fakes.College),
            "rectorat" => TestIdentity.Rectorat,
            _ => TestIdentity.Omere,
        });

        using var response = await browser.GetAsync($"/visite?college={Fakes.College}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
