using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

/// <summary>Status and replies coming back from the tool, and the collège's added information going out.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public class ConversationTests(DatabaseProvider provider) : IntakeTest(provider)
{
    private static readonly DateTimeOffset T0 = TicketScenarios.T0;

    private Task<(Guid Id, string Reference)> ForwardedToGlpiAsync() => Tickets.ForwardedAsync(ExternalTools.Glpi, "15");

    private static string Status(JsonObject ticket) => ticket["status"]!.GetValue<string>();

    private static ExternalTicketUpdated Update(Guid id, string reference, string? status, DateTimeOffset at, string eventId, string? reply = null, string tool = ExternalTools.Glpi) =>
        new(id, reference, tool, "15", status, status, reply, reply is null ? null : "technician", reply is null ? null : "Karim (infogérant)", at, eventId);

    [Test]
    public async Task External_statuses_apply_in_the_tools_order_and_an_older_one_never_wins()
    {
        var (id, reference) = await ForwardedToGlpiAsync();

        await Tickets.DeliverAsync(Update(id, reference, "in-progress", T0.AddMinutes(10), "status:15:10"));
        await Tickets.DeliverAsync(Update(id, reference, "waiting", T0.AddMinutes(5), "status:15:05"));
        Assert.That(Status(await Tickets.GetAsync(id)), Is.EqualTo("in-progress"), "the older 'waiting' arrived late and is ignored");

        await Tickets.DeliverAsync(Update(id, reference, "resolved", T0.AddMinutes(20), "status:15:20"));
        var ticket = await Tickets.GetAsync(id);
        Assert.That(Status(ticket), Is.EqualTo("resolved"));
        Assert.That(ticket["history"]!.AsArray().Last()!["note"]!.GetValue<string>(), Is.EqualTo("L'infogérant du Département (GLPI) : demande résolue."));
    }

    [Test]
    public async Task A_ticket_reopened_in_the_tool_is_in_progress_again()
    {
        var (id, reference) = await ForwardedToGlpiAsync();

        await Tickets.DeliverAsync(Update(id, reference, "resolved", T0.AddMinutes(10), "status:15:10"));
        await Tickets.DeliverAsync(Update(id, reference, "in-progress", T0.AddMinutes(30), "status:15:30"));

        Assert.That(Status(await Tickets.GetAsync(id)), Is.EqualTo("in-progress"));
    }

    [Test]
    public async Task A_reply_appears_once_in_the_timeline_with_its_author()
    {
        var (id, reference) = await ForwardedToGlpiAsync();
        var reply = Update(id, reference, null, T0.AddMinutes(15), "followup:7", reply: "Je passe jeudi matin changer la lampe.");

        await Tickets.DeliverAsync(reply);
        await Tickets.DeliverAsync(reply);

        var timeline = (await Tickets.GetAsync(id))["timeline"]!.AsArray();
        var replies = timeline.Where(e => e!["kind"]!.GetValue<string>() == "reply").ToList();
        Assert.That(replies, Has.Count.EqualTo(1));
        Assert.That(replies[0]!["text"]!.GetValue<string>(), Is.EqualTo("Je passe jeudi matin changer la lampe."));
        Assert.That(replies[0]!["author"]!.GetValue<string>(), Is.EqualTo("Karim (infogérant)"));
        Assert.That(timeline.Select(e => e!["at"]!.GetValue<DateTimeOffset>()), Is.Ordered);
    }

    [Test]
    public async Task An_update_from_a_tool_the_ticket_is_not_routed_to_is_ignored()
    {
        var (id, reference) = await ForwardedToGlpiAsync();

        await Tickets.DeliverAsync(Update(id, reference, "closed", T0.AddMinutes(10), "status:99:10", tool: ExternalTools.Itop));

        Assert.That(Status(await Tickets.GetAsync(id)), Is.EqualTo("forwarded"));
    }

    [Test]
    public async Task Information_added_by_the_college_is_in_the_timeline_and_sent_to_the_tool_signed_by_the_signed_in_user()
    {
        var (id, reference) = await ForwardedToGlpiAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tickets/{reference}/comments")
        {
            Content = JsonContent.Create(new { text = "Le VPI fait aussi un bruit de ventilateur." }),
        };
        request.Headers.Add("X-TicketHub-User", "quelqu.un.d.autre@exemple.fr");

        using var response = await Client.SendAsync(request.As(TestIdentity.College("0931234X", "Claire Martin")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var comment = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(comment!["sentToTool"]!.GetValue<bool>(), Is.True);
        var harness = Factory.Services.GetTestHarness();
        Assert.That(await harness.Published.Any<TicketCommentAdded>(m => m.Context.Message.TicketId == id), Is.True);
        var published = harness.Published.Select<TicketCommentAdded>(m => m.Context.Message.TicketId == id).Single().Context.Message;
        Assert.That((published.Tool, published.ExternalId, published.Text, published.AuthorName),
            Is.EqualTo(("glpi", "15", "Le VPI fait aussi un bruit de ventilateur.", "Claire Martin")));
        var timeline = (await Tickets.GetAsync(id))["timeline"]!.AsArray();
        var entry = timeline.Single(e => e!["kind"]!.GetValue<string>() == "comment")!;
        Assert.That((entry["text"]!.GetValue<string>(), entry["author"]!.GetValue<string>(), entry["authorRole"]!.GetValue<string>()),
            Is.EqualTo(("Le VPI fait aussi un bruit de ventilateur.", "Claire Martin", "requester")));
    }

    [Test]
    public async Task A_comment_cannot_name_its_own_author()
    {
        var (id, _) = await ForwardedToGlpiAsync();

        using var response = await Client.PostAsJsonAsync($"/api/v1/tickets/{id}/comments", new { text = "Bonjour", authorName = "Le Principal" });

        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["errors"]!["authorName"]![0]!.GetValue<string>(), Does.Contain("personne connectée"));
        Assert.That(await Factory.CountAsync("ticket_messages"), Is.Zero);
    }

    [Test]
    public async Task A_comment_neither_in_JSON_nor_in_a_form_is_a_415()
    {
        var (id, _) = await ForwardedToGlpiAsync();

        using var response = await Client.PostAsync($"/api/v1/tickets/{id}/comments", new StringContent("Bonjour", System.Text.Encoding.UTF8, "text/plain"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Is.EqualTo("Envoyez le corps en JSON (Content-Type: application/json)."));
    }

    [Test]
    public async Task Comment_without_text_is_refused_and_nothing_is_sent()
    {
        var (id, _) = await ForwardedToGlpiAsync();

        using var response = await Client.PostAsJsonAsync($"/api/v1/tickets/{id}/comments", new { text = "  ", extra = 1 });

        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "text", "extra" }));
        Assert.That(await Factory.CountAsync("ticket_messages"), Is.Zero);
    }

    [Test]
    public async Task Comment_with_a_bidi_override_is_refused_and_nothing_is_sent()
    {
        var (id, _) = await ForwardedToGlpiAsync();

        using var response = await Client.PostAsJsonAsync($"/api/v1/tickets/{id}/comments", new { text = "Voir la pièce \u202Efdp.exe" });

        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["errors"]!["text"]![0]!.GetValue<string>(), Does.Contain("sens d'affichage"));
        Assert.That(await Factory.CountAsync("ticket_messages"), Is.Zero);
    }

    [Test]
    public async Task Comment_on_a_closed_ticket_is_a_conflict()
    {
        var (id, reference) = await ForwardedToGlpiAsync();
        await Tickets.DeliverAsync(Update(id, reference, "closed", T0.AddMinutes(10), "status:15:10"));

        using var response = await Client.PostAsJsonAsync($"/api/v1/tickets/{id}/comments", new { text = "Encore en panne." });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Comment_on_an_unknown_ticket_is_a_404()
    {
        using var response = await Client.PostAsJsonAsync($"/api/v1/tickets/{Guid.NewGuid()}/comments", new { text = "Bonjour" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
