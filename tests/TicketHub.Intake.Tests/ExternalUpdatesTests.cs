using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Security;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

/// <summary>An operator of PASS or Omère reports what happened in the tool, which the hub cannot read.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public class ExternalUpdatesTests(DatabaseProvider provider) : IntakeTest(provider)
{
    private static readonly HubUser Operator = new("operateur-pass", "operateur.pass@ac-creteil.fr", HubRoles.Rectorat, null, false);

    /// <summary>Reports as an administrator (who may report on either tool) unless <paramref name="user"/> is given.</summary>
    private Task<HttpResponseMessage> ReportAsync(object id, object body, HubUser? user = null) =>
        ReportRawAsync(id, JsonSerializer.Serialize(body), user);

    private Task<HttpResponseMessage> ReportRawAsync(object id, string body, HubUser? user = null) =>
        PostJsonAsync($"/api/v1/tickets/{id}/external-updates", body, user ?? TestIdentity.Admin);

    private static string Status(JsonObject ticket) => ticket["status"]!.GetValue<string>();

    [Test]
    public async Task A_reported_status_and_reply_are_applied_and_shown_in_the_timeline()
    {
        var (id, reference) = await Tickets.ForwardedAsync(ExternalTools.Pass, "PASS-42");

        using var response = await ReportAsync(reference, new { status = "in-progress", reply = "Un technicien passera lundi.", authorName = "M. Durand (Rectorat)" }, Operator);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var answered = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(Status(answered!), Is.EqualTo("in-progress"));
        var ticket = await Tickets.GetAsync(id);
        var timeline = ticket["timeline"]!.AsArray();
        var reply = timeline.Single(e => e!["kind"]!.GetValue<string>() == "reply")!;
        Assert.Multiple(() =>
        {
            Assert.That(Status(ticket), Is.EqualTo("in-progress"));
            Assert.That(reply["text"]!.GetValue<string>(), Is.EqualTo("Un technicien passera lundi."));
            Assert.That(reply["author"]!.GetValue<string>(), Is.EqualTo("M. Durand (Rectorat)"));
            Assert.That(reply["authorRole"]!.GetValue<string>(), Is.EqualTo("technician"));
            Assert.That(timeline.Any(e => e!["text"]?.GetValue<string>() == "Le Rectorat (PASS) : demande en cours de traitement."), Is.True);
        });

        await using var connection = await Factory.OpenAsync();
        var audit = await connection.QuerySingleAsync<(string ReportedBy, string Tool, string Status, string EventId)>(
            "SELECT reported_by, tool, status, event_id FROM operator_reports");
        Assert.That((audit.ReportedBy, audit.Tool, audit.Status), Is.EqualTo((Operator.AuditName, "pass", "in-progress")));
        Assert.That(audit.EventId, Does.StartWith("operator:"));
    }

    [Test]
    public async Task A_reply_without_author_is_signed_with_the_tool()
    {
        var (id, _) = await Tickets.ForwardedAsync(ExternalTools.Omere, "OM-7");

        using var response = await ReportAsync(id, new { reply = "Serrure changée." });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var ticket = await Tickets.GetAsync(id);
        var reply = ticket["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "reply")!;
        Assert.That(reply["author"]!.GetValue<string>(), Is.EqualTo("Le service des bâtiments (Omère)"));
        Assert.That(Status(ticket), Is.EqualTo("forwarded"), "a reply alone does not change the status");
    }

    [Test]
    public async Task An_older_status_from_the_tool_never_moves_a_reported_one_back()
    {
        var (id, reference) = await Tickets.ForwardedAsync(ExternalTools.Pass, "PASS-42");
        using (var response = await ReportAsync(id, new { status = "resolved" }))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // The e-mail connector reads, late, a change made in PASS an hour before the operator's report.
        await Tickets.DeliverAsync(new ExternalTicketUpdated(id, reference, ExternalTools.Pass, "PASS-42", "in-progress", "En cours",
            null, null, null, DateTimeOffset.UtcNow.AddHours(-1), "mail:older"));

        Assert.That(Status(await Tickets.GetAsync(id)), Is.EqualTo("resolved"));
    }

    [Test]
    public async Task A_report_on_a_GLPI_ticket_is_a_conflict()
    {
        var (id, _) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");

        using var response = await ReportAsync(id, new { status = "resolved" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("GLPI"));
        Assert.That(Status(await Tickets.GetAsync(id)), Is.EqualTo("forwarded"));
    }

    [Test]
    public async Task A_report_on_a_ticket_not_yet_forwarded_is_a_conflict()
    {
        var (id, _) = await Tickets.RoutedAsync(ExternalTools.Pass);

        using var response = await ReportAsync(id, new { status = "in-progress" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("pas encore été transmise"));
        Assert.That(await Factory.CountAsync("operator_reports"), Is.Zero);
    }

    [Test]
    public async Task An_empty_body_is_a_400()
    {
        var (id, _) = await Tickets.ForwardedAsync(ExternalTools.Pass, "PASS-42");

        using var response = await ReportRawAsync(id, "");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    public static IEnumerable<TestCaseData> InvalidReports()
    {
        yield return new TestCaseData(new { }, "$").SetName("A_report_with_neither_status_nor_reply_is_refused");
        yield return new TestCaseData(new { authorName = "M. Durand" }, "$").SetName("A_report_with_only_an_author_is_refused");
        yield return new TestCaseData(new { status = "forwarded" }, "status").SetName("A_report_of_status_forwarded_is_refused");
        yield return new TestCaseData(new { status = "fini" }, "status").SetName("A_report_of_an_unknown_status_is_refused");
        yield return new TestCaseData(new { reply = "ok", comment = "x" }, "comment").SetName("A_report_with_an_unknown_field_is_refused");
    }

    [TestCaseSource(nameof(InvalidReports))]
    public async Task Invalid_report_gets_a_422_naming_the_field(object body, string field)
    {
        var (id, _) = await Tickets.ForwardedAsync(ExternalTools.Pass, "PASS-42");

        using var response = await ReportAsync(id, body);

        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Does.Contain(field));
        Assert.That(await Factory.CountAsync("operator_reports"), Is.Zero);
    }

    [Test]
    public async Task A_report_without_a_token_is_a_401_and_changes_nothing()
    {
        var (id, _) = await Tickets.ForwardedAsync(ExternalTools.Pass, "PASS-42");
        using var anonymous = Factory.CreateClient();

        using var response = await anonymous.PostAsJsonAsync($"/api/v1/tickets/{id}/external-updates", new { status = "resolved" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(Status(await Tickets.GetAsync(id)), Is.EqualTo("forwarded"));
    }

    [Test]
    public async Task The_Rectorat_reports_on_PASS_tickets_only_and_the_building_service_on_Omere_tickets_only()
    {
        var (pass, _) = await Tickets.ForwardedAsync(ExternalTools.Pass, "PASS-42");
        var (omere, _) = await Tickets.ForwardedAsync(ExternalTools.Omere, "OM-7");
        var building = new HubUser("operateur-omere", "operateur.omere@seinesaintdenis.fr", HubRoles.Omere, null, false);

        using var rectoratOnOmere = await ReportAsync(omere, new { status = "resolved" }, Operator);
        using var buildingOnPass = await ReportAsync(pass, new { status = "resolved" }, building);
        using var buildingOnOmere = await ReportAsync(omere, new { status = "resolved" }, building);

        Assert.Multiple(() =>
        {
            Assert.That(rectoratOnOmere.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(buildingOnPass.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(buildingOnOmere.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        Assert.That(Status(await Tickets.GetAsync(pass)), Is.EqualTo("forwarded"));
        Assert.That(await Factory.CountAsync("operator_reports"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_report_on_an_unknown_ticket_is_a_404()
    {
        using var response = await ReportAsync(Guid.NewGuid(), new { status = "resolved" }, Operator);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
