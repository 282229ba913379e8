using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static TicketHub.EndToEnd.Tests.HubSystem;

namespace TicketHub.EndToEnd.Tests;

/// <summary>
/// Every destination of the département's rules, through the real gateway, RabbitMQ and services,
/// with the Seine-Saint-Denis rule set and the sample registry (deploy/colleges.csv); then the
/// dispatcher's desk: triage list and re-routing.
/// </summary>
[NonParallelizable]
public class RoutingJourneyTests
{
    private static readonly TimeSpan Journey = TimeSpan.FromSeconds(60);

    private static string Status(JsonObject ticket) => ticket["status"]!.GetValue<string>();

    // uai, zone, category, type, buildingImpact → target, tool, queue, rule, status, flag
    [TestCase("0931234X", "ZP", "vpi", "incident", false, "infogerant", "glpi", null, "R4", "forwarded", null, TestName = "ZP_ticket_reaches_the_infogerant_in_GLPI")]
    [TestCase("0931234X", "ZA", "poste-administratif", "incident", false, "infogerant", "glpi", null, "R6", "forwarded", null, TestName = "ZA_ticket_of_a_college_taken_over_reaches_the_infogerant")]
    [TestCase("0931235A", "ZA", "poste-administratif", "incident", false, "pass", "pass", null, "R7", "forwarded", null, TestName = "ZA_ticket_of_a_college_not_taken_over_goes_to_PASS")]
    [TestCase("0931234X", "ZA", "application-metier-en", "incident", false, "pass", "pass", null, "R5", "forwarded", null, TestName = "National_business_application_goes_to_PASS_even_after_reprise")]
    [TestCase("0931234X", "ZA", "poste-administratif", "incident", true, "omere", "omere", "UT1", "R1", "routed", null, TestName = "Building_matter_goes_to_Omere_in_the_colleges_UT")]
    [TestCase("0931234X", null, "ent", "incident", false, "ent-assistance", null, null, "R2", "routed", null, TestName = "ENT_problem_goes_to_ENT_assistance_without_external_ticket")]
    [TestCase("0931236B", "ZP", "poste-pedagogique", "incident", false, "region", null, null, "R3", "routed", null, TestName = "ZP_ticket_of_a_cite_mixte_goes_to_the_Region")]
    [TestCase("0931234X", null, "reseau", "incident", false, "triage", null, null, "R8", "triage", null, TestName = "Unknown_zone_of_an_ambiguous_category_waits_in_triage")]
    [TestCase("0931234X", null, "vpi", "request", false, "infogerant", "glpi", null, "R4", "forwarded", "dat-amiante", TestName = "VPI_installation_in_a_college_built_before_1997_is_flagged_DAT_amiante")]
    public async Task Ticket_lands_where_the_rules_say(
        string uai, string? zone, string category, string type, bool buildingImpact,
        string target, string? tool, string? queue, string rule, string status, string? flag)
    {
        var body = TicketBody(uai, zone, category, type);
        body["buildingImpact"] = buildingImpact;
        if (rule == "R8")
        {
            NamingNoEquipment(body);
        }

        var (id, reference) = await SubmitAsync(body);

        var ticket = await WaitForTicketAsync(id, t => Status(t) == status, Journey);

        var route = ticket["route"]!;
        Assert.Multiple(() =>
        {
            Assert.That(route["target"]!.GetValue<string>(), Is.EqualTo(target));
            Assert.That(route["tool"]?.GetValue<string>(), Is.EqualTo(tool));
            Assert.That(route["queue"]?.GetValue<string>(), Is.EqualTo(queue));
            Assert.That(route["rule"]!.GetValue<string>(), Is.EqualTo(rule));
            Assert.That(route["ruleSetVersion"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(route["explanation"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(ticket["flags"]!.AsArray().Select(f => f!.GetValue<string>()), flag is null ? Is.Empty : Is.EquivalentTo(new[] { flag }));
            Assert.That(Glpi.CreationsFor(reference), Has.Count.EqualTo(tool == "glpi" ? 1 : 0));
        });
    }

    private static async Task<JsonObject> RerouteAsync(string id, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tickets/{id}/reroute") { Content = JsonContent.Create(body) };
        using var response = await Client.SendAsync(request.As("dispatcher"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Test]
    public async Task Unknown_zone_is_taken_from_what_the_ticket_describes_when_the_classifier_is_confident()
    {
        // A classroom's interactive board, in a category of either zone, the zone left unknown: not triage.
        var body = TicketBody(zone: null, category: "reseau");
        body["title"] = "Le TBI de la salle 12 n'affiche plus rien";
        body["description"] = "Le vidéoprojecteur interactif reste sur écran bleu, le stylet ne répond pas, les élèves ne voient rien au tableau.";
        var (id, reference) = await SubmitAsync(body);

        var ticket = await WaitForTicketAsync(id, t => Status(t) == "forwarded", Journey);

        Assert.That(ticket["route"]!["rule"]!.GetValue<string>(), Is.EqualTo("R4"));
        Assert.That(ticket["route"]!["explanation"]!.GetValue<string>(),
            Does.StartWith("Vous n'avez pas indiqué la zone : d'après votre description, la demande concerne la zone pédagogique"));
        Assert.That(Glpi.CreationsFor(reference), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Dispatcher_lists_a_triage_ticket_and_sends_it_to_GLPI()
    {
        var (id, reference) = await SubmitAsync(NamingNoEquipment(TicketBody(zone: null, category: "reseau")));
        await WaitForTicketAsync(id, t => Status(t) == "triage", Journey);

        var triage = await Client.GetFromJsonAsync<JsonArray>("/api/v1/triage");
        Assert.That(triage!.Select(t => t!["reference"]!.GetValue<string>()), Does.Contain(reference));

        await RerouteAsync(id, new { target = "infogerant", reason = "Prise réseau de la salle 12 : zone pédagogique." });
        var ticket = await WaitForTicketAsync(id, t => Status(t) == "forwarded", Journey);

        Assert.That(ticket["route"]!["rule"]!.GetValue<string>(), Is.EqualTo("MANUAL"));
        Assert.That(ticket["route"]!["tool"]!.GetValue<string>(), Is.EqualTo("glpi"), "the classifier completed the infogérant's tool");
        Assert.That(Glpi.CreationsFor(reference), Has.Count.EqualTo(1));
        var after = await Client.GetFromJsonAsync<JsonArray>("/api/v1/triage");
        Assert.That(after!.Select(t => t!["reference"]!.GetValue<string>()), Does.Not.Contain(reference));
    }

    [Test]
    public async Task Ticket_rerouted_from_GLPI_to_PASS_leaves_a_followup_on_the_GLPI_ticket()
    {
        var (id, reference) = await SubmitAsync(TicketBody());
        var forwarded = await WaitForTicketAsync(id, t => Status(t) == "forwarded", Journey);
        var glpiId = forwarded["external"]!["id"]!.GetValue<string>();

        var rerouted = await RerouteAsync(id, new { target = "pass", reason = "Poste de la vie scolaire : ZA non reprise." });
        Assert.That(rerouted["external"], Is.Null);

        var deadline = DateTime.UtcNow + Journey;
        while (Glpi.FollowupsOn(glpiId).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        var followups = Glpi.FollowupsOn(glpiId);
        Assert.That(followups, Has.Count.EqualTo(1), Logs());
        Assert.That(followups[0], Does.Contain("le Rectorat (PASS)").And.Contain("vie scolaire"));
        var ticket = await WaitForTicketAsync(id, t => t["route"]!["target"]!.GetValue<string>() == "pass" && Status(t) == "forwarded", Journey);
        Assert.That(ticket["external"]!["tool"]!.GetValue<string>(), Is.EqualTo("pass"), "the PASS connector created it in PASS");
        Assert.That(Glpi.CreationsFor(reference), Has.Count.EqualTo(1), "no new GLPI ticket");
    }
}
