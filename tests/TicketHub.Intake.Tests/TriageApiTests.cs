using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Security;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public class TriageApiTests(DatabaseProvider provider) : IntakeTest(provider)
{
    private async Task<(Guid Id, string Reference)> CreateAsync(string title = "VPI en panne")
    {
        var body = TicketRequestParserTests.ValidBody();
        body["title"] = title;
        using var response = await Client.PostAsync("/api/v1/tickets", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (Guid.Parse(accepted!["id"]!.GetValue<string>()), accepted["reference"]!.GetValue<string>());
    }

    private static TicketRouted Routed(Guid id, string reference, string target, string? tool, string rule, string explanation)
    {
        var details = new TicketDetails("0931234X", new Requester("Claire", "c@ac-creteil.fr", null), null, "reseau", "incident", false, "Réseau", "coupé", "normal", null, null);
        return new TicketRouted(id, reference, DateTimeOffset.UtcNow, details,
            new RouteDecision(target, tool, null, rule, "test-1", explanation, []),
            new CollegeSnapshot("0931234X", "Collège Jean Moulin", "Aubervilliers", "UT1"), DateTimeOffset.UtcNow);
    }

    private async Task<(Guid Id, string Reference)> InTriageAsync(string title = "Réseau coupé")
    {
        var (id, reference) = await CreateAsync(title);
        await Factory.Services.GetRequiredService<IBus>().Publish(Routed(id, reference, RouteTargets.Triage, null, "R8",
            "La zone n'a pas pu être déterminée : un agent du Pôle TIE va orienter votre demande."));
        await Tickets.WaitForAsync(id, t => t["status"]!.GetValue<string>() == "triage");
        return (id, reference);
    }

    private static readonly HubUser DispatcherUser = new("dispatcher-tie", "dispatcher.tie@seinesaintdenis.fr", HubRoles.Dispatcher, null, false);

    private Task<HttpResponseMessage> RerouteAsync(object id, object body, HubUser? user = null) =>
        PostJsonAsync($"/api/v1/tickets/{id}/reroute", JsonSerializer.Serialize(body), user ?? DispatcherUser);

    [Test]
    public async Task Triage_lists_waitingTickets_oldest_first_with_why()
    {
        var first = await InTriageAsync("Premier");
        var second = await InTriageAsync("Second");
        await CreateAsync("Pas en tri");

        var items = (await Client.GetFromJsonAsync<JsonArray>("/api/v1/triage"))!;

        Assert.That(items.Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { first.Id.ToString(), second.Id.ToString() }));
        Assert.That(items[0]!["why"]!.GetValue<string>(), Does.Contain("Pôle TIE"));
        Assert.That(items[0]!["rule"]!.GetValue<string>(), Is.EqualTo("R8"));
        Assert.That(items[0]!["reference"]!.GetValue<string>(), Is.EqualTo(first.Reference));
    }

    [Test]
    public async Task Reroute_of_a_triage_ticket_applies_the_route_audits_it_and_publishes_TicketRerouted()
    {
        var (id, reference) = await InTriageAsync();

        using var response = await RerouteAsync(reference, new { target = "pass", reason = "Application Op@le : Rectorat." });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var ticket = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Multiple(() =>
        {
            Assert.That(ticket!["status"]!.GetValue<string>(), Is.EqualTo("routed"));
            Assert.That(ticket["route"]!["target"]!.GetValue<string>(), Is.EqualTo("pass"));
            Assert.That(ticket["route"]!["rule"]!.GetValue<string>(), Is.EqualTo("MANUAL"));
            Assert.That(ticket["route"]!["explanation"]!.GetValue<string>(), Does.Contain("Rectorat").And.Contain("Op@le"));
            Assert.That(ticket["history"]!.AsArray().Last()!["note"]!.GetValue<string>(), Does.Contain("dispatcher.tie@seinesaintdenis.fr"));
        });

        await using var connection = await Factory.OpenAsync();
        var audit = await connection.QuerySingleAsync<(string RequestedBy, string Reason, string OldStatus, string OldTarget, string NewTarget)>(
            "SELECT requested_by, reason, old_status, old_target, new_target FROM ticket_reroutes");
        Assert.That(audit, Is.EqualTo(("dispatcher.tie@seinesaintdenis.fr (dispatcher)", "Application Op@le : Rectorat.", "triage", "triage", "pass")));

        var harness = Factory.Services.GetTestHarness();
        Assert.That(await harness.Published.Any<TicketRerouted>(m => m.Context.Message.TicketId == id), Is.True);
        var rerouted = harness.Published.Select<TicketRerouted>(m => m.Context.Message.TicketId == id).Single().Context.Message;
        Assert.That(rerouted.Target, Is.EqualTo("pass"));
        Assert.That(rerouted.PreviousRoute!.Target, Is.EqualTo("triage"));
        Assert.That(rerouted.Ticket.Title, Is.EqualTo("Réseau coupé"));
    }

    [Test]
    public async Task Reroute_of_a_forwarded_ticket_drops_the_old_external_ticket_and_late_messages_do_not_undo_it()
    {
        var (id, reference) = await CreateAsync();
        var bus = Factory.Services.GetRequiredService<IBus>();
        var automatic = Routed(id, reference, RouteTargets.Infogerant, ExternalTools.Glpi, "R4", "Transmise à l'infogérant.");
        await bus.Publish(automatic);
        await bus.Publish(new TicketForwarded(id, reference, ExternalTools.Glpi, "4711", "http://glpi/4711", DateTimeOffset.UtcNow));
        await Tickets.WaitForAsync(id, t => t["status"]!.GetValue<string>() == "forwarded" && t["route"] is not null);

        using var response = await RerouteAsync(id, new { target = "pass", tool = "pass", reason = "Poste administratif non repris." });
        var ticket = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(ticket!["status"]!.GetValue<string>(), Is.EqualTo("routed"));
        Assert.That(ticket["external"], Is.Null);
        var harness = Factory.Services.GetTestHarness();
        Assert.That(await harness.Published.Any<TicketRerouted>(m => m.Context.Message.TicketId == id), Is.True);
        var rerouted = harness.Published.Select<TicketRerouted>(m => m.Context.Message.TicketId == id).Single().Context.Message;
        Assert.That(rerouted.PreviousExternal, Is.EqualTo(new ExternalTicketRef("glpi", "4711", "http://glpi/4711")));

        // A late copy of the automatic decision and of GLPI's confirmation must not undo the dispatcher's choice.
        await bus.Publish(automatic);
        await bus.Publish(new TicketForwarded(id, reference, ExternalTools.Glpi, "4711", "http://glpi/4711", DateTimeOffset.UtcNow));
        await harness.InactivityTask;
        var after = await Client.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}");
        Assert.That(after!["route"]!["target"]!.GetValue<string>(), Is.EqualTo("pass"));
        Assert.That(after["status"]!.GetValue<string>(), Is.EqualTo("routed"));
        Assert.That(after["external"], Is.Null);

        // The new tool's confirmation is applied.
        await bus.Publish(new TicketForwarded(id, reference, ExternalTools.Pass, "PASS-77", null, DateTimeOffset.UtcNow));
        var forwarded = await Tickets.WaitForAsync(id, t => t["status"]!.GetValue<string>() == "forwarded");
        Assert.That(forwarded["external"]!["id"]!.GetValue<string>(), Is.EqualTo("PASS-77"));
    }

    public static IEnumerable<TestCaseData> InvalidReroutes()
    {
        yield return new TestCaseData(new { target = "pass" }, "reason").SetName("Reroute_without_a_reason_is_refused");
        yield return new TestCaseData(new { target = "rectorat", reason = "x" }, "target").SetName("Reroute_to_an_unknown_target_is_refused");
        yield return new TestCaseData(new { reason = "x" }, "target").SetName("Reroute_without_a_target_is_refused");
        yield return new TestCaseData(new { target = "pass", tool = "glpi", reason = "x" }, "tool").SetName("Reroute_with_a_tool_of_another_target_is_refused");
        yield return new TestCaseData(new { target = "region", tool = "glpi", reason = "x" }, "tool").SetName("Reroute_to_the_Region_with_a_tool_is_refused");
        yield return new TestCaseData(new { target = "pass", reason = "x", by = "moi" }, "by").SetName("Reroute_with_an_unknown_field_is_refused");
        yield return new TestCaseData(new { target = 3, reason = "x" }, "target").SetName("Reroute_with_a_number_as_target_is_refused");
    }

    [TestCaseSource(nameof(InvalidReroutes))]
    public async Task Invalid_reroute_gets_a_422_naming_the_field_and_changes_nothing(object body, string field)
    {
        var (id, _) = await InTriageAsync();

        using var response = await RerouteAsync(id, body);

        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Does.Contain(field));
        Assert.That(await Factory.CountAsync("ticket_reroutes"), Is.Zero);
    }

    [Test]
    public async Task Reroute_without_a_token_is_a_401_and_changes_nothing()
    {
        var (id, _) = await InTriageAsync();
        using var anonymous = Factory.CreateClient();

        using var response = await anonymous.PostAsJsonAsync($"/api/v1/tickets/{id}/reroute", new { target = "pass", reason = "x" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Factory.CountAsync("ticket_reroutes"), Is.Zero);
    }

    [Test]
    public async Task Reroute_of_a_ticket_not_yet_routed_is_a_conflict()
    {
        var (id, _) = await CreateAsync();

        using var response = await RerouteAsync(id, new { target = "pass", reason = "x" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Reroute_to_the_route_it_already_has_is_a_conflict()
    {
        var (id, _) = await InTriageAsync();

        using var response = await RerouteAsync(id, new { target = "triage", reason = "x" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("déjà orientée"));
    }

    [Test]
    public async Task Reroute_of_an_unknown_ticket_is_a_404()
    {
        using var response = await RerouteAsync(Guid.NewGuid(), new { target = "pass", reason = "x" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
