using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Security;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

/// <summary><c>GET /api/v1/tickets</c>: newest first, by pages, filtered, and each role held to its scope.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public class TicketListTests(DatabaseProvider provider) : IntakeFixture(provider)
{
    private const string Own = "0931234X";
    private const string Other = "0935678Z";

    private static readonly CollegeSnapshot OwnCollege = new(Own, "Collège Jean Moulin", "Aubervilliers", "UT1");
    private static readonly CollegeSnapshot OtherCollege = new(Other, "Collège Louise Michel", "Bobigny", "UT2");

    private (Guid Id, string Reference) _ownGlpi;
    private (Guid Id, string Reference) _ownPass;
    private (Guid Id, string Reference) _otherOmere;
    private (Guid Id, string Reference) _otherReceived;
    private (Guid Id, string Reference) _ownTriage;
    private (Guid Id, string Reference) _otherGlpi;

    /// <summary>Oldest first: <c>_ownGlpi</c> … <c>_otherGlpi</c>.</summary>
    private Guid[] _all = [];

    protected override async Task SetUpDataAsync()
    {
        _ownGlpi = await Tickets.ReceivedAsync(Own, "VPI salle 12");
        await Tickets.RouteAsync(_ownGlpi, RouteTargets.Infogerant, ExternalTools.Glpi, college: OwnCollege);
        await Tickets.DeliverAsync(new TicketForwarded(_ownGlpi.Id, _ownGlpi.Reference, ExternalTools.Glpi, "4711", "http://glpi/4711", TicketScenarios.T0));
        _ownPass = await Tickets.ReceivedAsync(Own, "SIECLE");
        await Tickets.RouteAsync(_ownPass, RouteTargets.Pass, ExternalTools.Pass, college: OwnCollege);
        _otherOmere = await Tickets.ReceivedAsync(Other, "Prise arrachée");
        await Tickets.RouteAsync(_otherOmere, RouteTargets.Omere, ExternalTools.Omere, "UT2", OtherCollege);
        _otherReceived = await Tickets.ReceivedAsync(Other, "Imprimante");
        _ownTriage = await Tickets.ReceivedAsync(Own, "Réseau");
        await Tickets.RouteAsync(_ownTriage, RouteTargets.Triage, null, college: OwnCollege);
        _otherGlpi = await Tickets.ReceivedAsync(Other, "Wi-Fi");
        await Tickets.RouteAsync(_otherGlpi, RouteTargets.Infogerant, ExternalTools.Glpi, college: OtherCollege);
        _all = [_ownGlpi.Id, _ownPass.Id, _otherOmere.Id, _otherReceived.Id, _ownTriage.Id, _otherGlpi.Id];
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> ListAsync(string query, HubUser? user = null)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tickets{query}"), user ?? TestIdentity.Admin);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private async Task<Guid[]> IdsAsync(string query, HubUser? user = null)
    {
        var (status, body) = await ListAsync(query, user);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        return Ids(body);
    }

    private static Guid[] Ids(JsonObject page) => page["items"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())).ToArray();

    private static Guid[] NewestFirst(params (Guid Id, string Reference)[] tickets) => tickets.Select(t => t.Id).Reverse().ToArray();

    [Test]
    public async Task An_administrator_sees_every_ticket_newest_first_with_its_college_route_and_external_ticket()
    {
        var (status, page) = await ListAsync("");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Ids(page), Is.EqualTo(_all.Reverse().ToArray()));
        Assert.That(page["next"], Is.Null);
        var glpi = page["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == _ownGlpi.Id.ToString())!;
        Assert.Multiple(() =>
        {
            Assert.That(glpi["reference"]!.GetValue<string>(), Is.EqualTo(_ownGlpi.Reference));
            Assert.That(glpi["status"]!.GetValue<string>(), Is.EqualTo("forwarded"));
            Assert.That(glpi["collegeUai"]!.GetValue<string>(), Is.EqualTo(Own));
            Assert.That(glpi["collegeName"]!.GetValue<string>(), Is.EqualTo("Collège Jean Moulin"));
            Assert.That(glpi["ut"]!.GetValue<string>(), Is.EqualTo("UT1"));
            Assert.That(glpi["title"]!.GetValue<string>(), Is.EqualTo("VPI salle 12"));
            Assert.That(glpi["category"]!.GetValue<string>(), Is.EqualTo("vpi"));
            Assert.That(glpi["urgency"]!.GetValue<string>(), Is.EqualTo("high"));
            Assert.That(glpi["target"]!.GetValue<string>(), Is.EqualTo("infogerant"));
            Assert.That(glpi["tool"]!.GetValue<string>(), Is.EqualTo("glpi"));
            Assert.That(glpi["external"]!["id"]!.GetValue<string>(), Is.EqualTo("4711"));
            Assert.That(glpi["external"]!["url"]!.GetValue<string>(), Is.EqualTo("http://glpi/4711"));
            Assert.That(glpi["createdAt"], Is.Not.Null);
            Assert.That(glpi["updatedAt"], Is.Not.Null);
        });
        var received = page["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == _otherReceived.Id.ToString())!;
        Assert.That((received["collegeName"], received["target"], received["external"]), Is.EqualTo(((JsonNode?)null, (JsonNode?)null, (JsonNode?)null)),
            "not routed yet: no collège name, no route");
    }

    [Test]
    public async Task The_ticket_view_carries_the_college_name_and_UT_once_routed()
    {
        var ticket = await Tickets.GetAsync(_otherOmere.Id);

        Assert.That((ticket["collegeName"]!.GetValue<string>(), ticket["ut"]!.GetValue<string>()), Is.EqualTo(("Collège Louise Michel", "UT2")));
        Assert.That(ticket["attachments"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task A_college_sees_its_own_tickets_only()
    {
        var college = TestIdentity.College(Own);

        Assert.That(await IdsAsync("", college), Is.EqualTo(NewestFirst(_ownGlpi, _ownPass, _ownTriage)));
        Assert.That(await IdsAsync($"?collegeUai={Own}", college), Is.EqualTo(NewestFirst(_ownGlpi, _ownPass, _ownTriage)));
        Assert.That(await IdsAsync("?target=pass", college), Is.EqualTo(NewestFirst(_ownPass)));
    }

    [Test]
    public async Task A_college_asking_for_another_college_s_tickets_gets_403()
    {
        var (status, problem) = await ListAsync($"?collegeUai={Other}", TestIdentity.College(Own));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo($"Vous ne voyez que les demandes de votre collège ({Own})."));
    }

    [Test]
    public async Task The_infogerant_the_Rectorat_and_the_building_service_see_the_tickets_routed_to_them_whatever_the_college()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await IdsAsync("", TestIdentity.Infogerant), Is.EqualTo(NewestFirst(_ownGlpi, _otherGlpi)));
            Assert.That(await IdsAsync($"?collegeUai={Other}", TestIdentity.Infogerant), Is.EqualTo(NewestFirst(_otherGlpi)));
            Assert.That(await IdsAsync("", TestIdentity.Rectorat), Is.EqualTo(NewestFirst(_ownPass)));
            Assert.That(await IdsAsync("", TestIdentity.Omere), Is.EqualTo(NewestFirst(_otherOmere)));
        }
    }

    [TestCase("infogerant", "pass")]
    [TestCase("rectorat", "omere")]
    [TestCase("omere", "infogerant")]
    public async Task Asking_for_another_target_than_one_s_own_gets_403(string role, string target)
    {
        var user = TestIdentity.OneOfEachRole(Own).Single(u => u.Role == role);

        var (status, problem) = await ListAsync($"?target={target}", user);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.StartWith("Vous ne voyez que les demandes orientées vers "));
    }

    [Test]
    public async Task The_dispatcher_sees_every_ticket_and_filters_by_status_college_target_tool_and_UT()
    {
        var dispatcher = TestIdentity.Dispatcher;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await IdsAsync("", dispatcher), Is.EqualTo(_all.Reverse().ToArray()));
            Assert.That(await IdsAsync("?status=triage", dispatcher), Is.EqualTo(NewestFirst(_ownTriage)));
            Assert.That(await IdsAsync("?status=received", dispatcher), Is.EqualTo(NewestFirst(_otherReceived)));
            Assert.That(await IdsAsync($"?collegeUai={Other}", dispatcher), Is.EqualTo(NewestFirst(_otherOmere, _otherReceived, _otherGlpi)));
            Assert.That(await IdsAsync("?target=infogerant&tool=glpi", dispatcher), Is.EqualTo(NewestFirst(_ownGlpi, _otherGlpi)));
            Assert.That(await IdsAsync("?tool=omere", dispatcher), Is.EqualTo(NewestFirst(_otherOmere)));
            Assert.That(await IdsAsync("?ut=UT2", dispatcher), Is.EqualTo(NewestFirst(_otherOmere, _otherGlpi)));
            Assert.That(await IdsAsync($"?collegeUai={Own}&status=routed&ut=UT1", dispatcher), Is.EqualTo(NewestFirst(_ownPass)));
        }
    }

    [Test]
    public async Task Pages_follow_one_another_without_gap_or_repeat()
    {
        var seen = new List<Guid>();
        string? after = null;
        var pages = 0;
        do
        {
            var (status, page) = await ListAsync($"?limit=4{(after is null ? "" : "&after=" + after)}");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            seen.AddRange(Ids(page));
            after = page["next"]?.GetValue<string>();
            pages++;
        }
        while (after is not null && pages < 10);

        Assert.That(pages, Is.EqualTo(2));
        Assert.That(seen, Is.EqualTo(_all.Reverse().ToArray()));
    }

    [TestCase("?status=ouvert", "status")]
    [TestCase("?collegeUai=123", "collegeUai")]
    [TestCase("?target=rectorat", "target")]
    [TestCase("?tool=jira", "tool")]
    [TestCase("?limit=0", "limit")]
    [TestCase("?after=pas-un-curseur", "after")]
    public async Task A_wrong_filter_gets_a_French_400_naming_it(string query, string name)
    {
        var (status, problem) = await ListAsync(query);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain($"« {name} »"));
    }

    [Test]
    public async Task A_college_cannot_page_from_another_college_s_ticket_so_the_cursor_tells_nothing_of_it()
    {
        var college = TestIdentity.College(Own);

        var (otherStatus, otherProblem) = await ListAsync($"?after={_otherGlpi.Id}", college);
        var (missingStatus, missingProblem) = await ListAsync($"?after={Guid.NewGuid()}", college);

        Assert.That((otherStatus, missingStatus), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
        Assert.That(otherProblem["detail"]!.GetValue<string>(), Is.EqualTo(missingProblem["detail"]!.GetValue<string>()));
    }
}
