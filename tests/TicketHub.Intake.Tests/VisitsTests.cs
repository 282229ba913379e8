using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

/// <summary>
/// The infogérant's monthly visit (issue 14): the sheet a technician prepares it with, and its record:
/// each note on a ticket reaches the timeline and the ticket's tool as the visit's, once, and the
/// indicators count the visit.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class VisitsTests(DatabaseProvider provider) : IntakeTest(provider)
{
    private const string Own = "0931234X";
    private const string Other = "0935678Z";

    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Paris).DateTime);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ExternalTicketUpdated Update(Guid id, string reference, string status, string eventId, string? reply = null) =>
        new(id, reference, ExternalTools.Glpi, "15", status, status, reply, reply is null ? null : "technician", reply is null ? null : "Karim", DateTimeOffset.UtcNow, eventId);

    /// <summary>
    /// The collège's tickets: one open with the infogérant (a reply from GLPI), one the infogérant
    /// resolved, one with PASS; and one of another collège.
    /// </summary>
    private async Task<(Guid Open, Guid Resolved, Guid Pass)> CollegeTicketsAsync()
    {
        var (open, openReference) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        await Tickets.DeliverAsync(Update(open, openReference, HubStatuses.InProgress, "o1", "Je passe jeudi."));
        var (resolved, resolvedReference) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "16");
        await Tickets.DeliverAsync(Update(resolved, resolvedReference, HubStatuses.Resolved, "r1", "Lampe changée."));
        var (pass, _) = await Tickets.RoutedAsync(ExternalTools.Pass);
        var other = await Tickets.ReceivedAsync(Other);
        await Tickets.RouteAsync(other, RouteTargets.Infogerant, ExternalTools.Glpi, college: new CollegeSnapshot(Other, "Collège Voltaire", "Bobigny", "UT1"));
        return (open, resolved, pass);
    }

    private static async Task<JsonObject> SheetAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/v1/visits/sheet?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static IEnumerable<string> Ids(JsonNode? tickets) => tickets!.AsArray().Select(t => t!["id"]!.GetValue<string>());

    private static Task<HttpResponseMessage> RecordAsync(HttpClient client, Guid visit, object body) =>
        client.PutAsJsonAsync($"/api/v1/visits/{visit}", body);

    [Test]
    public async Task The_sheet_lists_the_infogérants_open_tickets_those_resolved_lately_and_the_other_teams_for_information()
    {
        var (open, resolved, pass) = await CollegeTicketsAsync();
        using var infogerant = Factory.ClientFor(TestIdentity.Infogerant);

        var sheet = await SheetAsync(infogerant, $"collegeUai={Own}");

        var college = sheet["colleges"]!.AsArray().Single()!;
        Assert.That(college["uai"]!.GetValue<string>(), Is.EqualTo(Own), "only the collège asked for");
        Assert.That(Ids(college["forInfogerant"]), Is.EqualTo(new[] { open.ToString() }));
        Assert.That(Ids(college["recentlyResolved"]), Is.EqualTo(new[] { resolved.ToString() }));
        Assert.That(Ids(college["otherTeams"]), Is.EqualTo(new[] { pass.ToString() }), "the PASS ticket, for information");
        var first = college["forInfogerant"]![0]!;
        Assert.That(first["lastExchange"]!["fromCollege"]!.GetValue<bool>(), Is.False, "GLPI's reply was the last exchange");
        Assert.That(first["lastExchange"]!["author"]!.GetValue<string>(), Is.EqualTo("Karim"));
        Assert.That((first["tool"]!.GetValue<string>(), first["externalId"]!.GetValue<string>()), Is.EqualTo(("glpi", "15")));
        Assert.That(first["ageDays"]!.GetValue<int>(), Is.Zero);
        Assert.That(college["lastVisit"], Is.Null);
        Assert.That(college["resolvedSince"]!.GetValue<string>(), Is.EqualTo(Day(Today.AddDays(-31))), "a month back without an earlier visit");
    }

    [Test]
    public async Task A_recorded_visit_puts_each_note_in_the_timeline_and_in_GLPI_as_the_visits_and_is_counted_once()
    {
        var (open, resolved, _) = await CollegeTicketsAsync();
        using var infogerant = Factory.ClientFor(TestIdentity.Infogerant);
        var visit = Guid.NewGuid();
        var day = Today.AddDays(-1);
        var body = new
        {
            collegeUai = Own,
            visitedOn = Day(day),
            technician = "Karim Benali",
            notes = new[]
            {
                new { ticket = open.ToString(), text = "Lampe du VPI changée, filtre nettoyé." },
                new { ticket = resolved.ToString(), text = "Confirmé avec la CPE : fonctionne." },
            },
        };

        using (var created = await RecordAsync(infogerant, visit, body))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            var recorded = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.That(recorded["notes"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(recorded["notes"]![0]!["sentToTool"]!.GetValue<bool>(), Is.True);
        }

        var comment = await Tickets.PublishedAsync<TicketCommentAdded>(c => c.TicketId == open);
        Assert.That((comment.Origin, comment.VisitedOn, comment.AuthorName, comment.Tool, comment.ExternalId),
            Is.EqualTo((CommentOrigins.OnSiteVisit, (DateOnly?)day, "Karim Benali", "glpi", "15")));
        Assert.That(comment.Text, Is.EqualTo("Lampe du VPI changée, filtre nettoyé."));

        var ticket = await Tickets.GetAsync(open);
        var entry = ticket["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "visit")!;
        Assert.That((entry["visitedOn"]!.GetValue<string>(), entry["author"]!.GetValue<string>()), Is.EqualTo((Day(day), "Karim Benali")));

        using (var again = await RecordAsync(infogerant, visit, body))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same visit sent again is the same visit");
        }

        using (var changed = await RecordAsync(infogerant, visit, body with { technician = "Autre" }))
        {
            Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        }

        ticket = await Tickets.GetAsync(open);
        Assert.That(ticket["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "visit"), Is.EqualTo(1), "one note, however often sent");

        var sheet = (await SheetAsync(infogerant, $"collegeUai={Own}"))["colleges"]![0]!;
        Assert.That(sheet["lastVisit"]!["visitedOn"]!.GetValue<string>(), Is.EqualTo(Day(day)));
        Assert.That(sheet["resolvedSince"]!.GetValue<string>(), Is.EqualTo(Day(day)), "resolved since the last visit");
        Assert.That(Ids(sheet["recentlyResolved"]), Is.Empty, "confirmed during the visit: not to confirm again");

        using var indicators = await Client.GetAsync("/api/v1/indicators");
        var visits = (await indicators.Content.ReadFromJsonAsync<JsonObject>())!["visits"]!;
        Assert.That((visits["count"]!.GetValue<int>(), visits["colleges"]!.GetValue<int>()), Is.EqualTo((1, 1)));
        Assert.That(visits["byCollege"]![0]!["key"]!.GetValue<string>(), Is.EqualTo(Own));
    }

    [Test]
    public async Task A_note_on_another_teams_or_another_collèges_ticket_is_refused_and_nothing_is_recorded()
    {
        var (open, _, pass) = await CollegeTicketsAsync();
        var otherCollege = Guid.Parse(Ids((await SheetAsync(Client, $"collegeUai={Other}"))["colleges"]![0]!["forInfogerant"]).Single());

        using var response = await RecordAsync(Client, Guid.NewGuid(), new
        {
            collegeUai = Own,
            visitedOn = Day(Today),
            notes = new[]
            {
                new { ticket = open.ToString(), text = "Fait." },
                new { ticket = pass.ToString(), text = "Vu." },
                new { ticket = otherCollege.ToString(), text = "Vu." },
            },
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EquivalentTo(new[] { "notes[1].ticket", "notes[2].ticket" }));
        Assert.That(errors["notes[1].ticket"]![0]!.GetValue<string>(), Does.Contain("pas orientée vers l'infogérant"));
        var timeline = (await Tickets.GetAsync(open))["timeline"]!.AsArray();
        Assert.That(timeline.Any(e => e!["kind"]!.GetValue<string>() == "visit"), Is.False, "the valid note was not kept either");
        using var indicators = await Client.GetAsync("/api/v1/indicators");
        Assert.That((await indicators.Content.ReadFromJsonAsync<JsonObject>())!["visits"]!["count"]!.GetValue<int>(), Is.Zero);
    }

    [Test]
    public async Task A_UT_sheet_gathers_its_collèges()
    {
        await CollegeTicketsAsync();
        var third = await Tickets.ReceivedAsync("0930001A");
        await Tickets.RouteAsync(third, RouteTargets.Infogerant, ExternalTools.Glpi, college: new CollegeSnapshot("0930001A", "Collège Jean Jaurès", "Pantin", "UT1"));

        var sheet = await SheetAsync(Client, "ut=UT1");

        Assert.That(sheet["colleges"]!.AsArray().Select(c => c!["uai"]!.GetValue<string>()), Is.EqualTo(new[] { "0930001A", Other }));
        Assert.That(sheet["colleges"]![1]!["name"]!.GetValue<string>(), Is.EqualTo("Collège Voltaire"));
    }

    [TestCase("""{"visitedOn":"2026-01-01"}""", "collegeUai")]
    [TestCase("""{"collegeUai":"0931234X"}""", "visitedOn")]
    [TestCase("""{"collegeUai":"0931234X","visitedOn":"2999-01-01"}""", "visitedOn")]
    [TestCase("""{"collegeUai":"0931234X","visitedOn":"07/12/2026"}""", "visitedOn")]
    [TestCase("""{"collegeUai":"0931234X","visitedOn":"2020-01-01"}""", "visitedOn")]
    [TestCase("""{"collegeUai":"0931234X","visitDay":"2026-01-01"}""", "visitDay")]
    [TestCase("""{"collegeUai":"0931234X","notes":[{"ticket":"TH-1","text":"x"}]}""", "notes[0].ticket")]
    [TestCase("""{"collegeUai":"0931234X","notes":[{"ticket":"2b5f4c9e-1d1a-4a4e-9f7e-0b1c2d3e4f50"}]}""", "notes[0].text")]
    public async Task A_bad_visit_gets_a_French_422_naming_the_field(string body, string field)
    {
        using var response = await Client.PutAsync($"/api/v1/visits/{Guid.NewGuid()}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
    }

    [Test]
    public async Task A_visit_id_that_is_not_the_sheets_gets_a_French_400()
    {
        using var response = await Client.PutAsJsonAsync("/api/v1/visits/visite-du-lundi", new { collegeUai = Own, visitedOn = Day(Today) });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["id"]![0]!.GetValue<string>(), Does.Contain("GUID"));
    }

    [TestCase("")]
    [TestCase("collegeUai=0931234X&ut=UT1")]
    [TestCase("collegeUai=123")]
    public async Task A_sheet_asks_for_one_collège_or_one_UT(string query)
    {
        using var response = await Client.GetAsync("/api/v1/visits/sheet?" + query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
