using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests.Indicators;

/// <summary>
/// <c>GET /api/v1/indicators</c> on tickets moved by intake itself: the steps its lifecycle records,
/// each reader's scope, the CSV, and French refusals of bad parameters.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class IndicatorsApiTests(DatabaseProvider provider) : IntakeTest(provider)
{
    private const string Own = "0931234X";
    private const string Other = "0935678Z";

    private static ExternalTicketUpdated Update(Guid id, string reference, string status, DateTimeOffset at, string eventId, string? reply = null) =>
        new(id, reference, ExternalTools.Glpi, "15", status, status, reply, reply is null ? null : "technician", reply is null ? null : "Karim", at, eventId);

    /// <summary>
    /// Three tickets of today: one through GLPI to resolved, reopened, resolved again; one through
    /// triage then sent to PASS by the Pôle TIE; one of another collège, still received.
    /// </summary>
    private async Task<(Guid Worked, Guid Triaged)> ThreeTicketsAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var (worked, reference) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        await Tickets.DeliverAsync(Update(worked, reference, HubStatuses.InProgress, now.AddHours(1), "s1"));
        await Tickets.DeliverAsync(Update(worked, reference, HubStatuses.Resolved, now.AddHours(3), "s2", "Lampe changée."));
        await Tickets.DeliverAsync(Update(worked, reference, HubStatuses.InProgress, now.AddHours(4), "s3"));
        await Tickets.DeliverAsync(Update(worked, reference, HubStatuses.Resolved, now.AddHours(5), "s4"));
        await Tickets.DeliverAsync(new TicketAttachmentNotDelivered(worked, reference, Guid.NewGuid(), "photo.heic", ExternalTools.Glpi, "type refusé par GLPI", now));

        var triaged = await Tickets.ReceivedAsync(Own);
        await Tickets.RouteAsync(triaged, RouteTargets.Triage, null);
        using (var reroute = await Client.PostAsJsonAsync($"/api/v1/tickets/{triaged.Id}/reroute", new { target = "pass", reason = "Application nationale." }))
        {
            Assert.That(reroute.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reroute.Content.ReadAsStringAsync());
        }

        await Tickets.ReceivedAsync(Other);
        return (worked, triaged.Id);
    }

    private async Task<JsonObject> IndicatorsAsync(HttpClient client, string query = "")
    {
        using var response = await client.GetAsync("/api/v1/indicators" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static int Int(JsonNode? node) => node!.GetValue<int>();

    [Test]
    public async Task The_steps_intake_records_make_the_Pôle_TIEs_indicators()
    {
        await ThreeTicketsAsync();

        var view = await IndicatorsAsync(Client);

        Assert.That(Int(view["volumes"]!["received"]), Is.EqualTo(3));
        Assert.That(Int(view["triage"]!["sent"]!["count"]), Is.EqualTo(1));
        Assert.That(view["triage"]!["time"]!["count"]!.GetValue<int>(), Is.EqualTo(1), "the triaged ticket left triage");
        var delays = view["delays"]!.AsArray().ToDictionary(d => d!["step"]!.GetValue<string>(), d => d!);
        Assert.That(Int(delays["tool"]["calendar"]!["count"]), Is.EqualTo(1));
        Assert.That(Int(delays["resolve"]["calendar"]!["count"]), Is.EqualTo(1));
        Assert.That(delays["resolve"]["calendar"]!["medianHours"]!.GetValue<double>(), Is.EqualTo(3).Within(0.1), "the first resolution, not the second");
        Assert.That((Int(view["reopened"]!["count"]), Int(view["reopened"]!["of"])), Is.EqualTo((1, 1)));
        Assert.That(Int(view["backlog"]!["open"]), Is.EqualTo(2), "the triaged ticket, now with PASS, and the received one");
        Assert.That(view["failures"]!["deadLetters"]!.GetValue<int>(), Is.Zero, "the Pôle TIE sees the dead letters");
        Assert.That(Int(view["failures"]!["attachmentsRefused"]), Is.EqualTo(1));
    }

    [Test]
    public async Task Each_reader_sees_their_scope_and_asking_for_another_is_refused()
    {
        await ThreeTicketsAsync();

        using var college = Factory.ClientFor(TestIdentity.College(Own));
        using var infogerant = Factory.ClientFor(TestIdentity.Infogerant);
        Assert.That(Int((await IndicatorsAsync(college))["volumes"]!["received"]), Is.EqualTo(2), "the collège's own two");
        var team = await IndicatorsAsync(infogerant);
        Assert.That(Int(team["volumes"]!["received"]), Is.EqualTo(1), "the one with the infogérant");
        Assert.That(team["failures"]!["deadLetters"], Is.Null, "dead letters are the Pôle TIE's");
        Assert.That(Int((await IndicatorsAsync(college))["failures"]!["attachmentsRefused"]), Is.EqualTo(1), "the collège's file");

        using var otherCollege = await college.GetAsync($"/api/v1/indicators?collegeUai={Other}");
        using var otherTeam = await infogerant.GetAsync("/api/v1/indicators?target=pass");
        Assert.That((otherCollege.StatusCode, otherTeam.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)));
        Assert.That((await otherCollege.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(),
            Is.EqualTo($"Vous ne voyez que les indicateurs de votre collège ({Own})."));
        Assert.That((await otherTeam.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(),
            Is.EqualTo($"Vous ne voyez que les indicateurs des demandes orientées vers {RouteTargets.FrenchName(RouteTargets.Infogerant)}."));
    }

    [Test]
    public async Task Filters_cut_the_figures_and_the_period_is_of_days_received()
    {
        await ThreeTicketsAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).DateTime);

        Assert.That(Int((await IndicatorsAsync(Client, $"?collegeUai={Other}"))["volumes"]!["received"]), Is.EqualTo(1));
        Assert.That(Int((await IndicatorsAsync(Client, "?tool=glpi"))["volumes"]!["received"]), Is.EqualTo(1));
        Assert.That(Int((await IndicatorsAsync(Client, "?target=pass"))["volumes"]!["received"]), Is.EqualTo(1));
        Assert.That(Int((await IndicatorsAsync(Client, $"?from={today.AddDays(-10):yyyy-MM-dd}&to={today:yyyy-MM-dd}"))["volumes"]!["received"]), Is.Zero,
            "the day « to » is not in the period");
    }

    [Test]
    public async Task The_CSV_opens_in_a_French_spreadsheet()
    {
        await ThreeTicketsAsync();

        using var response = await Client.GetAsync("/api/v1/indicators?format=csv");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        Assert.That(response.Content.Headers.ContentDisposition!.FileName, Does.StartWith("indicateurs-"));
        var csv = System.Text.Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.That(csv, Does.StartWith("\uFEFFindicateur;détail;valeur\r\n"));
        Assert.That(csv, Does.Contain("demandes reçues;;3\r\n").And.Contain("envoyées au triage;part;0,3333\r\n"));
    }

    [TestCase("?from=2026-13-01", "from")]
    [TestCase("?from=2026-12-01&to=2026-11-01", "to")]
    [TestCase("?from=2020-01-01&to=2026-01-01", "from")]
    [TestCase("?zone=XX", "zone")]
    [TestCase("?target=ailleurs", "target")]
    [TestCase("?collegeUai=123", "collegeUai")]
    [TestCase("?format=xlsx", "format")]
    public async Task Bad_parameters_get_a_French_400_naming_them(string query, string field)
    {
        using var response = await Client.GetAsync("/api/v1/indicators" + query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["errors"]![field], Is.Not.Null, problem.ToJsonString());
    }
}
