using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;

namespace TicketHub.Intake.Tests;

/// <summary>Status and replies coming back from the tool, and the collège's added information going out.</summary>
public class ConversationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private IntakeFactory _factory = null!;
    private HttpClient _client = null!;
    private IBus _bus = null!;

    [SetUp]
    public void SetUp()
    {
        _factory = new IntakeFactory();
        _client = _factory.CreateClient();
        _bus = _factory.Services.GetRequiredService<IBus>();
    }

    [TearDown]
    public void TearDown()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    private async Task<(Guid Id, string Reference)> ForwardedToGlpiAsync()
    {
        using var response = await _client.PostAsync("/api/v1/tickets",
            new StringContent(TicketRequestParserTests.ValidBody().ToJsonString(), Encoding.UTF8, "application/json"));
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        var id = Guid.Parse(accepted!["id"]!.GetValue<string>());
        var reference = accepted["reference"]!.GetValue<string>();
        var details = new TicketDetails("0931234X", new Requester("Claire Martin", "c@ac-creteil.fr", null), "ZP", "vpi", "incident", false, "VPI", "éteint", "normal", null, null);
        await _bus.Publish(new TicketRouted(id, reference, T0, details,
            new RouteDecision(RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4", "t", "Transmise à l'infogérant.", []), null, T0));
        await _bus.Publish(new TicketForwarded(id, reference, ExternalTools.Glpi, "15", "http://glpi/15", T0));
        await WaitForAsync(id, t => Status(t) == "forwarded" && t["route"] is not null);
        return (id, reference);
    }

    private static string Status(JsonObject ticket) => ticket["status"]!.GetValue<string>();

    private static ExternalTicketUpdated Update(Guid id, string reference, string? status, DateTimeOffset at, string eventId, string? reply = null, string tool = ExternalTools.Glpi) =>
        new(id, reference, tool, "15", status, status, reply, reply is null ? null : "technician", reply is null ? null : "Karim (infogérant)", at, eventId);

    /// <summary>Publishes and waits until intake has finished with it (consumed, whatever the outcome).</summary>
    private async Task DeliverAsync(ExternalTicketUpdated update)
    {
        var messageId = NewId.NextGuid();
        await _bus.Publish(update, c => c.MessageId = messageId);
        var harness = _factory.Services.GetTestHarness();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!harness.Consumed.Select<ExternalTicketUpdated>(m => m.Context.MessageId == messageId).Any())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the update was never consumed");
            await Task.Delay(50);
        }
    }

    private async Task<JsonObject> GetAsync(Guid id) => (await _client.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}"))!;

    private async Task<JsonObject> WaitForAsync(Guid id, Func<JsonObject, bool> condition)
    {
        JsonObject? ticket = null;
        for (var i = 0; i < 200; i++)
        {
            ticket = await GetAsync(id);
            if (condition(ticket))
            {
                return ticket;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Condition never met; last state: {ticket?.ToJsonString()}");
        throw new InvalidOperationException();
    }

    [Test]
    public async Task External_statuses_apply_in_the_tools_order_and_an_older_one_never_wins()
    {
        var (id, reference) = await ForwardedToGlpiAsync();

        await DeliverAsync(Update(id, reference, "in-progress", T0.AddMinutes(10), "status:15:10"));
        await DeliverAsync(Update(id, reference, "waiting", T0.AddMinutes(5), "status:15:05"));
        Assert.That(Status(await GetAsync(id)), Is.EqualTo("in-progress"), "the older 'waiting' arrived late and is ignored");

        await DeliverAsync(Update(id, reference, "resolved", T0.AddMinutes(20), "status:15:20"));
        var ticket = await GetAsync(id);
        Assert.That(Status(ticket), Is.EqualTo("resolved"));
        Assert.That(ticket["history"]!.AsArray().Last()!["note"]!.GetValue<string>(), Is.EqualTo("L'infogérant du Département (GLPI) : demande résolue."));
    }

    [Test]
    public async Task A_ticket_reopened_in_the_tool_is_in_progress_again()
    {
        var (id, reference) = await ForwardedToGlpiAsync();

        await DeliverAsync(Update(id, reference, "resolved", T0.AddMinutes(10), "status:15:10"));
        await DeliverAsync(Update(id, reference, "in-progress", T0.AddMinutes(30), "status:15:30"));

        Assert.That(Status(await GetAsync(id)), Is.EqualTo("in-progress"));
    }

    [Test]
    public async Task A_reply_appears_once_in_the_timeline_with_its_author()
    {
        var (id, reference) = await ForwardedToGlpiAsync();
        var reply = Update(id, reference, null, T0.AddMinutes(15), "followup:7", reply: "Je passe jeudi matin changer la lampe.");

        await DeliverAsync(reply);
        await DeliverAsync(reply);

        var timeline = (await GetAsync(id))["timeline"]!.AsArray();
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

        await DeliverAsync(Update(id, reference, "closed", T0.AddMinutes(10), "status:99:10", tool: ExternalTools.Itop));

        Assert.That(Status(await GetAsync(id)), Is.EqualTo("forwarded"));
    }

    [Test]
    public async Task Information_added_by_the_college_is_in_the_timeline_and_sent_to_the_tool()
    {
        var (id, reference) = await ForwardedToGlpiAsync();

        using var response = await _client.PostAsJsonAsync($"/api/v1/tickets/{reference}/comments", new { text = "Le VPI fait aussi un bruit de ventilateur.", authorName = "Claire Martin" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var comment = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(comment!["sentToTool"]!.GetValue<bool>(), Is.True);
        var harness = _factory.Services.GetTestHarness();
        Assert.That(await harness.Published.Any<TicketCommentAdded>(m => m.Context.Message.TicketId == id), Is.True);
        var published = harness.Published.Select<TicketCommentAdded>(m => m.Context.Message.TicketId == id).Single().Context.Message;
        Assert.That((published.Tool, published.ExternalId, published.Text, published.AuthorName),
            Is.EqualTo(("glpi", "15", "Le VPI fait aussi un bruit de ventilateur.", "Claire Martin")));
        var timeline = (await GetAsync(id))["timeline"]!.AsArray();
        Assert.That(timeline.Any(e => e!["kind"]!.GetValue<string>() == "comment" && e["text"]!.GetValue<string>().Contains("ventilateur", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Comment_without_text_is_refused_and_nothing_is_sent()
    {
        var (id, _) = await ForwardedToGlpiAsync();

        using var response = await _client.PostAsJsonAsync($"/api/v1/tickets/{id}/comments", new { text = "  ", extra = 1 });

        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "text", "extra" }));
        Assert.That(await _factory.CountAsync("ticket_messages"), Is.Zero);
    }

    [Test]
    public async Task Comment_on_a_closed_ticket_is_a_conflict()
    {
        var (id, reference) = await ForwardedToGlpiAsync();
        await DeliverAsync(Update(id, reference, "closed", T0.AddMinutes(10), "status:15:10"));

        using var response = await _client.PostAsJsonAsync($"/api/v1/tickets/{id}/comments", new { text = "Encore en panne." });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Comment_on_an_unknown_ticket_is_a_404()
    {
        using var response = await _client.PostAsJsonAsync($"/api/v1/tickets/{Guid.NewGuid()}/comments", new { text = "Bonjour" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
