using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tests;

/// <summary>One fault, one ticket (issue 16): following a ticket that reports the same fault, and closing a duplicate.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public class FollowersTests(DatabaseProvider provider) : IntakeTest(provider)
{
    private const string Uai = "0931234X";

    private static readonly HubUser Teacher = new("prof-durand", "Paul Durand", HubRoles.College, Uai, false);

    private static readonly DateTimeOffset T0 = TicketScenarios.T0;

    private Task<HttpResponseMessage> FollowAsync(object id, HubUser user, object body) =>
        Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tickets/{id}/followers") { Content = JsonContent.Create(body) }.As(user));

    private Task<HttpResponseMessage> DuplicateAsync(object id, object kept, HubUser? user = null) =>
        Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tickets/{id}/duplicate-of") { Content = JsonContent.Create(new { ticket = kept.ToString() }) }
            .As(user ?? TestIdentity.Dispatcher));

    private IReadOnlyList<T> Published<T>(Func<T, bool> match)
        where T : class =>
        Factory.Services.GetTestHarness().Published.Select<T>(m => match(m.Context.Message)).Select(m => m.Context.Message).ToList();

    [Test]
    public async Task A_second_person_follows_the_ticket_once_and_its_tool_gets_one_message_with_what_they_wrote()
    {
        var (id, reference) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");

        using var first = await FollowAsync(reference, Teacher, new { email = "paul.durand@ac-creteil.fr", text = "Le VPI de la salle 12 ne s'allume plus non plus." });
        using var again = await FollowAsync(id, Teacher, new { text = "Toujours en panne." });

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), await first.Content.ReadAsStringAsync());
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "following again changes nothing");
        var comment = (await Tickets.PublishedAsync<TicketCommentAdded>(c => c.TicketId == id));
        Assert.That((comment.Tool, comment.ExternalId, comment.AuthorName), Is.EqualTo(("glpi", "15", "Paul Durand")));
        Assert.That(comment.Text, Does.StartWith("Même problème signalé par une autre personne du collège").And.EndWith("Le VPI de la salle 12 ne s'allume plus non plus."));
        await Task.Delay(300);
        Assert.That(Published<TicketCommentAdded>(c => c.TicketId == id), Has.Count.EqualTo(1), "one message to the tool, not one per click");
        var ticket = await Tickets.GetAsync(id);
        var followers = ticket["followers"]!.AsArray();
        Assert.That(followers.Select(f => (f!["name"]!.GetValue<string>(), f["reason"]!.GetValue<string>())), Is.EqualTo(new[] { ("Paul Durand", "reported") }));
        Assert.That(ticket["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "comment"), Is.EqualTo(1));
    }

    [Test]
    public async Task The_requester_already_follows_their_own_ticket()
    {
        using var teacherClient = Factory.ClientFor(Teacher);
        var ticket = await Tickets.ReceivedAsync(Uai, sender: teacherClient);

        using var response = await FollowAsync(ticket.Id, Teacher, new { });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("vous la suivez déjà"));
        Assert.That(await Factory.CountAsync("ticket_followers"), Is.Zero);
    }

    [Test]
    public async Task A_resolved_ticket_is_not_followed_and_nothing_reaches_the_tool()
    {
        var (id, reference) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        await Tickets.DeliverAsync(new ExternalTicketUpdated(id, reference, ExternalTools.Glpi, "15", HubStatuses.Resolved, "5", null, null, null, T0.AddHours(1), "status:5"));

        using var response = await FollowAsync(id, Teacher, new { text = "Encore en panne." });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("nouvelle demande"));
        Assert.That(await Factory.CountAsync("ticket_followers"), Is.Zero);
        Assert.That(await Factory.CountAsync("ticket_messages"), Is.Zero);
    }

    [Test]
    public async Task Another_colleges_ticket_cannot_be_followed_and_the_answer_does_not_tell_it_exists()
    {
        var (id, _) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var stranger = new HubUser("autre", "Autre collège", HubRoles.College, "0935678Z", false);

        using var response = await FollowAsync(id, stranger, new { });
        using var missing = await FollowAsync(Guid.NewGuid(), stranger, new { });

        Assert.That((response.StatusCode, missing.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(),
            Is.EqualTo((await missing.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>()));
    }

    [Test]
    public async Task A_bad_address_or_an_unknown_field_is_refused_against_its_field()
    {
        var (id, _) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");

        using var response = await FollowAsync(id, Teacher, new { email = "pas-une-adresse", since = "hier" });

        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "since" }), "unknown fields first");
        using var bad = await FollowAsync(id, Teacher, new { email = "pas-une-adresse" });
        Assert.That((await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["email"]![0]!.GetValue<string>(), Does.Contain("adresse électronique"));
        Assert.That(await Factory.CountAsync("ticket_followers"), Is.Zero);
    }

    [Test]
    public async Task A_duplicate_is_closed_with_its_pointer_its_requester_follows_the_kept_ticket_and_both_tools_are_told()
    {
        var kept = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        using var secretary = Factory.ClientFor(new HubUser("secretariat", "Secrétariat", HubRoles.College, Uai, false));
        var duplicate = await Tickets.ReceivedAsync(Uai, "Le VPI de la salle 12 ne marche plus", secretary);
        await Tickets.RouteAsync(duplicate, RouteTargets.Infogerant, ExternalTools.Glpi);
        await Tickets.DeliverAsync(new TicketForwarded(duplicate.Id, duplicate.Reference, ExternalTools.Glpi, "16", null, T0));
        var requester = (await Tickets.GetAsync(duplicate.Id))["requester"]!["name"]!.GetValue<string>();
        using (var follow = await FollowAsync(duplicate.Id, Teacher, new { }))
        {
            Assert.That(follow.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using var response = await DuplicateAsync(duplicate.Reference, kept.Reference);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var closed = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That((closed["status"]!.GetValue<string>(), closed["duplicateOf"]!.GetValue<string>()), Is.EqualTo(("closed", kept.Reference)));
        Assert.That(closed["history"]!.AsArray().Last()!["note"]!.GetValue<string>(), Does.StartWith($"Doublon de {kept.Reference}"));
        var followers = (await Tickets.GetAsync(kept.Id))["followers"]!.AsArray().Select(f => f!["name"]!.GetValue<string>());
        Assert.That(followers, Is.EquivalentTo(new[] { requester, "Paul Durand" }), "the duplicate's requester and its follower");
        var told = await Tickets.PublishedAsync<TicketClosedAsDuplicate>(m => m.TicketId == duplicate.Id);
        Assert.That((told.Tool, told.ExternalId, told.KeptReference, told.KeptTool, told.KeptExternalId), Is.EqualTo(("glpi", "16", kept.Reference, "glpi", "15")));
        Assert.That(told.ClosedBy, Is.EqualTo("Aiguilleur de test (dispatcher)"));
        var onKept = await Tickets.PublishedAsync<TicketCommentAdded>(c => c.TicketId == kept.Id);
        Assert.That(onKept.Text, Does.Contain(duplicate.Reference).And.Contain("doublon"));
        var changed = await Tickets.PublishedAsync<TicketStatusChanged>(m => m.TicketId == duplicate.Id && m.Status == HubStatuses.Closed);
        Assert.That(changed.DuplicateOf, Is.EqualTo(kept.Reference));
    }

    [Test]
    public async Task A_late_update_from_the_duplicates_tool_does_not_reopen_it()
    {
        var kept = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var duplicate = await Tickets.ForwardedAsync(ExternalTools.Glpi, "16");
        using (var response = await DuplicateAsync(duplicate.Id, kept.Id))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Tickets.DeliverAsync(new ExternalTicketUpdated(duplicate.Id, duplicate.Reference, ExternalTools.Glpi, "16", HubStatuses.InProgress, "2", null, null, null,
            DateTimeOffset.UtcNow.AddDays(1), "status:2"));

        Assert.That((await Tickets.GetAsync(duplicate.Id))["status"]!.GetValue<string>(), Is.EqualTo("closed"));
    }

    [Test]
    public async Task Linking_is_refused_across_colleges_to_itself_to_a_duplicate_and_twice()
    {
        var kept = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var duplicate = await Tickets.ForwardedAsync(ExternalTools.Glpi, "16");
        var third = await Tickets.ForwardedAsync(ExternalTools.Glpi, "17");
        var elsewhere = await Tickets.ReceivedAsync("0935678Z");

        async Task<(int Status, string Detail)> TryAsync(object id, object keptId)
        {
            using var response = await DuplicateAsync(id, keptId);
            return ((int)response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        }

        Assert.That(await TryAsync(duplicate.Id, duplicate.Id), Is.EqualTo((422, "Une demande ne peut pas être le doublon d'elle-même : indiquez la demande gardée.")));
        Assert.That((await TryAsync(elsewhere.Id, kept.Id)).Status, Is.EqualTo(409));
        Assert.That((await TryAsync(duplicate.Id, "TH-2099-999999")).Status, Is.EqualTo(422));
        using (var ok = await DuplicateAsync(duplicate.Id, kept.Id))
        {
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await TryAsync(duplicate.Id, kept.Id), Is.EqualTo((409, $"Cette demande est déjà un doublon de {kept.Reference}.")));
        Assert.That((await TryAsync(third.Id, duplicate.Id)).Detail, Does.Contain($"rattachez celle-ci à {kept.Reference}"));
    }

    [Test]
    public async Task A_team_links_only_tickets_it_can_see()
    {
        var kept = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var passTicket = await Tickets.ForwardedAsync(ExternalTools.Pass, "PASS-1");

        using var response = await DuplicateAsync(passTicket.Id, kept.Id, TestIdentity.Infogerant);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Tickets.GetAsync(passTicket.Id))["status"]!.GetValue<string>(), Is.EqualTo("forwarded"));
    }

    [Test]
    public async Task Every_change_of_status_or_route_is_announced_with_a_rising_version()
    {
        var (id, reference) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        await Tickets.DeliverAsync(new ExternalTicketUpdated(id, reference, ExternalTools.Glpi, "15", HubStatuses.InProgress, "2", null, null, null, T0.AddHours(1), "status:2"));

        await Tickets.PublishedAsync<TicketStatusChanged>(m => m.TicketId == id && m.Status == HubStatuses.InProgress);
        var changes = Published<TicketStatusChanged>(m => m.TicketId == id).OrderBy(c => c.Version).ToList();
        Assert.That(changes.Select(c => c.Status), Is.EqualTo(new[] { "routed", "forwarded", "in-progress" }), "in the order of their versions");
        Assert.That(changes.Select(c => c.Version), Is.Unique);
        Assert.That(changes.Select(c => (c.CollegeUai, c.Reference, c.RouteTarget, c.Tool)).Distinct().Single(), Is.EqualTo((Uai, reference, "infogerant", "glpi")));
    }
}
