using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using MassTransit.Testing;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Security;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

/// <summary>The manual relay queue of PASS and Omère: items requested by the connectors, confirmed by operators.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public class RelayTests(DatabaseProvider provider) : IntakeTest(provider)
{
    private static readonly HubUser Operator = new("operateur-pass", "operateur.pass@ac-creteil.fr", HubRoles.Rectorat, null, false);

    private static readonly DateTimeOffset T0 = TicketScenarios.T0;

    private static RelayItemRequested TicketItem(Guid ticketId, string reference, string tool, DateTimeOffset at, string? queue = null) =>
        new(Guid.NewGuid(), ticketId, reference, tool, RelayItemKinds.Ticket, queue, $"[{reference}] VPI éteint", "Le VPI de la salle 12 reste éteint.", null, at);

    private static RelayItemRequested CommentItem(Guid ticketId, string reference, string tool, string externalId, DateTimeOffset at) =>
        new(Guid.NewGuid(), ticketId, reference, tool, RelayItemKinds.Comment, null, $"[{reference}] Complément", "Il fait aussi du bruit.", externalId, at);

    /// <summary>A PASS ticket with its "enter it in PASS" item queued.</summary>
    private async Task<RelayItemRequested> PendingPassTicketAsync(DateTimeOffset? at = null)
    {
        var (id, reference) = await Tickets.RoutedAsync(ExternalTools.Pass);
        var item = TicketItem(id, reference, ExternalTools.Pass, at ?? T0);
        await Tickets.DeliverAsync(item);
        return item;
    }

    private Task<HttpResponseMessage> AckAsync(object itemId, string body, HubUser? user = null) =>
        PostJsonAsync($"/api/v1/relay/{itemId}/ack", body, user ?? Operator);

    private static string Number(string externalId) => JsonSerializer.Serialize(new { externalId });

    private async Task<JsonObject> ListAsync(string query) => (await Client.GetFromJsonAsync<JsonObject>($"/api/v1/relay{query}"))!;

    private static IEnumerable<Guid> Ids(JsonObject page) => page["items"]!.AsArray().Select(i => Guid.Parse(i!["itemId"]!.GetValue<string>()));

    /// <summary>RelayItemAcknowledged messages written to the outbox (published or not yet).</summary>
    private async Task<long> AcknowledgedMessagesAsync()
    {
        await using var connection = await Factory.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE message_type = @Type",
            new { Type = typeof(RelayItemAcknowledged).FullName });
    }

    [Test]
    public async Task The_same_item_requested_twice_is_one_item_with_one_timeline_entry()
    {
        var (id, reference) = await Tickets.RoutedAsync(ExternalTools.Pass);
        var item = TicketItem(id, reference, ExternalTools.Pass, T0.AddMinutes(1));
        var messageId = Guid.NewGuid();

        await Tickets.DeliverAsync(item, messageId);
        await Tickets.DeliverAsync(item, messageId);
        await Tickets.DeliverAsync(item);

        Assert.That(await Factory.CountAsync("relay_items"), Is.EqualTo(1));
        var timeline = (await Tickets.GetAsync(id))["timeline"]!.AsArray();
        var waiting = timeline.Where(e => e!["text"]?.GetValue<string>() == "En attente de saisie manuelle par le Rectorat (PASS).").ToList();
        Assert.That(waiting, Has.Count.EqualTo(1));
        Assert.That(waiting[0]!["status"]!.GetValue<string>(), Is.EqualTo("routed"), "the ticket's status does not change");
    }

    [Test]
    public async Task The_queue_filters_by_tool_queue_and_state_oldest_first()
    {
        var passTicket = await PendingPassTicketAsync(T0.AddMinutes(1));
        var (ut1Id, ut1Ref) = await Tickets.RoutedAsync(ExternalTools.Omere, "UT1");
        var ut1 = TicketItem(ut1Id, ut1Ref, ExternalTools.Omere, T0.AddMinutes(2), "UT1");
        await Tickets.DeliverAsync(ut1);
        var (ut2Id, ut2Ref) = await Tickets.RoutedAsync(ExternalTools.Omere, "UT2");
        var ut2 = TicketItem(ut2Id, ut2Ref, ExternalTools.Omere, T0.AddMinutes(3), "UT2");
        await Tickets.DeliverAsync(ut2);
        var passComment = CommentItem(passTicket.TicketId, passTicket.Reference, ExternalTools.Pass, "PASS-1", T0.AddMinutes(4));
        await Tickets.DeliverAsync(passComment);
        using (var ack = await AckAsync(passTicket.ItemId, Number("PASS-1")))
        {
            Assert.That(ack.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ack.Content.ReadAsStringAsync());
        }

        var pending = Ids(await ListAsync(""));
        var passPending = Ids(await ListAsync("?tool=pass"));
        var passAll = Ids(await ListAsync("?tool=pass&state=all"));
        var omereUt1 = Ids(await ListAsync("?tool=omere&queue=UT1"));
        var omereUt3 = Ids(await ListAsync("?tool=omere&queue=UT3"));
        Assert.Multiple(() =>
        {
            Assert.That(pending, Is.EqualTo(new[] { ut1.ItemId, ut2.ItemId, passComment.ItemId }), "pending by default, every tool");
            Assert.That(passPending, Is.EqualTo(new[] { passComment.ItemId }));
            Assert.That(passAll, Is.EqualTo(new[] { passTicket.ItemId, passComment.ItemId }));
            Assert.That(omereUt1, Is.EqualTo(new[] { ut1.ItemId }));
            Assert.That(omereUt3, Is.Empty);
        });

        var acknowledged = await ListAsync("?tool=pass&state=acknowledged");
        var item = acknowledged["items"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(item["itemId"]!.GetValue<string>(), Is.EqualTo(passTicket.ItemId.ToString()));
            Assert.That(item["reference"]!.GetValue<string>(), Is.EqualTo(passTicket.Reference));
            Assert.That(item["collegeUai"]!.GetValue<string>(), Is.EqualTo("0931234X"));
            Assert.That(item["kind"]!.GetValue<string>(), Is.EqualTo("ticket"));
            Assert.That(item["subject"]!.GetValue<string>(), Does.StartWith($"[{passTicket.Reference}]"));
            Assert.That(item["body"]!.GetValue<string>(), Is.EqualTo(passTicket.Body));
            Assert.That(item["requestedAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(T0.AddMinutes(1)));
            Assert.That(item["state"]!.GetValue<string>(), Is.EqualTo("acknowledged"));
            Assert.That(item["acknowledgement"]!["by"]!.GetValue<string>(), Is.EqualTo(Operator.AuditName));
            Assert.That(item["acknowledgement"]!["externalId"]!.GetValue<string>(), Is.EqualTo("PASS-1"));
            Assert.That(acknowledged["next"], Is.Null);
        });
    }

    [Test]
    public async Task The_queue_is_read_page_by_page_without_gaps()
    {
        var items = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            items.Add((await PendingPassTicketAsync(T0.AddMinutes(i))).ItemId);
        }

        var first = await ListAsync("?limit=2");
        var second = await ListAsync($"?limit=2&after={first["next"]!.GetValue<string>()}");

        Assert.That(Ids(first), Is.EqualTo(items.Take(2)));
        Assert.That(Ids(second), Is.EqualTo(items.Skip(2)));
        Assert.That(second["next"], Is.Null);
    }

    [TestCase("?state=done")]
    [TestCase("?tool=glpi")]
    [TestCase("?limit=0")]
    [TestCase("?after=pas-un-curseur")]
    [TestCase("?after=5f1c1a52-9a3e-4b52-9f65-6d0c7c1e2a10")]
    public async Task An_invalid_queue_query_is_a_French_400(string query)
    {
        using var response = await Client.GetAsync($"/api/v1/relay{query}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Requête invalide"));
    }

    [Test]
    public async Task Acknowledging_a_ticket_marks_it_and_publishes_one_RelayItemAcknowledged()
    {
        var item = await PendingPassTicketAsync();

        using var response = await AckAsync(item.ItemId, Number("  PASS-2026-0042 "));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var answered = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(answered!["state"]!.GetValue<string>(), Is.EqualTo("acknowledged"));
        Assert.That(answered["acknowledgement"]!["externalId"]!.GetValue<string>(), Is.EqualTo("PASS-2026-0042"));

        var harness = Factory.Services.GetTestHarness();
        Assert.That(await harness.Published.Any<RelayItemAcknowledged>(m => m.Context.Message.ItemId == item.ItemId), Is.True);
        var published = harness.Published.Select<RelayItemAcknowledged>().Single().Context.Message;
        Assert.Multiple(() =>
        {
            Assert.That((published.TicketId, published.Reference, published.Tool, published.Kind, published.ExternalId, published.AcknowledgedBy),
                Is.EqualTo((item.TicketId, item.Reference, "pass", "ticket", "PASS-2026-0042", Operator.AuditName)));
            Assert.That(published.AcknowledgedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        });

        var read = (await Client.GetFromJsonAsync<JsonObject>($"/api/v1/relay/{item.ItemId}"))!;
        Assert.That(read["acknowledgement"]!["by"]!.GetValue<string>(), Is.EqualTo(Operator.AuditName));
        Assert.That((await Tickets.GetAsync(item.TicketId))["status"]!.GetValue<string>(), Is.EqualTo("routed"),
            "the ticket becomes forwarded when the connector says so, not before");
    }

    [Test]
    public async Task Acknowledging_twice_with_the_same_number_is_harmless_and_another_number_is_a_conflict()
    {
        var item = await PendingPassTicketAsync();
        using (var first = await AckAsync(item.ItemId, Number("PASS-42")))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var again = await AckAsync(item.ItemId, Number("PASS-42"), user: new HubUser("autre-operateur", "autre.operateur@ac-creteil.fr", HubRoles.Rectorat, null, false));
        using var other = await AckAsync(item.ItemId, Number("PASS-43"));

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var kept = await again.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(kept!["acknowledgement"]!["by"]!.GetValue<string>(), Is.EqualTo(Operator.AuditName), "the first confirmation stays");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = await other.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("PASS-42").And.Contain(Operator.AuditName));
        Assert.That(await AcknowledgedMessagesAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Acknowledging_a_comment_needs_no_number_and_tells_the_college()
    {
        var (id, reference) = await Tickets.ForwardedAsync(ExternalTools.Pass, "PASS-7");
        using var added = await Client.PostAsJsonAsync($"/api/v1/tickets/{id}/comments", new { text = "Il fait aussi du bruit." });
        var commentId = Guid.Parse((await added.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        // The connector relays the collège's comment under the comment's own id.
        var comment = CommentItem(id, reference, ExternalTools.Pass, "PASS-7", T0.AddMinutes(5)) with { ItemId = commentId };
        await Tickets.DeliverAsync(comment);
        Assert.That(TimelineTexts(await Tickets.GetAsync(id)), Does.Contain("Votre message attend d'être recopié à la main par le Rectorat (PASS)."));

        using var response = await AckAsync(comment.ItemId, "{}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var harness = Factory.Services.GetTestHarness();
        Assert.That(await harness.Published.Any<RelayItemAcknowledged>(m => m.Context.Message.ItemId == comment.ItemId), Is.True);
        var published = harness.Published.Select<RelayItemAcknowledged>().Single().Context.Message;
        Assert.That((published.Kind, published.ExternalId), Is.EqualTo(("comment", "PASS-7")), "the number of the tool's ticket the comment went to");
        Assert.That(TimelineTexts(await Tickets.GetAsync(id)), Does.Contain("Votre message a été recopié par le Rectorat (PASS)."));
    }

    [Test]
    public async Task A_note_of_the_connector_is_queued_but_not_shown_to_the_college()
    {
        var (id, reference) = await Tickets.ForwardedAsync(ExternalTools.Pass, "PASS-7");
        var before = TimelineTexts(await Tickets.GetAsync(id));
        var note = CommentItem(id, reference, ExternalTools.Pass, "PASS-7", T0.AddMinutes(5)) with { Subject = $"[{reference}] Demande réorientée : ticket PASS-7 à clore" };

        await Tickets.DeliverAsync(note);
        using var response = await AckAsync(note.ItemId, "{}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Ids(await ListAsync("?state=all")), Is.EqualTo(new[] { note.ItemId }));
        Assert.That(TimelineTexts(await Tickets.GetAsync(id)), Is.EqualTo(before));
    }

    private static List<string?> TimelineTexts(JsonObject ticket) =>
        ticket["timeline"]!.AsArray().Select(e => e!["text"]?.GetValue<string>()).ToList();

    public static IEnumerable<TestCaseData> InvalidAcknowledgements()
    {
        yield return new TestCaseData(RelayItemKinds.Ticket, "{}").SetName("Acknowledging_a_ticket_without_its_number_is_refused");
        yield return new TestCaseData(RelayItemKinds.Ticket, "{\"externalId\": \"   \"}").SetName("Acknowledging_a_ticket_with_a_blank_number_is_refused");
        yield return new TestCaseData(RelayItemKinds.Ticket, Number(new string('9', 65))).SetName("Acknowledging_a_ticket_with_a_number_over_64_characters_is_refused");
        yield return new TestCaseData(RelayItemKinds.Ticket, Number("PASS\n42")).SetName("Acknowledging_a_ticket_with_a_control_character_is_refused");
        yield return new TestCaseData(RelayItemKinds.Ticket, "{\"externalId\": 42}").SetName("Acknowledging_a_ticket_with_a_number_as_JSON_number_is_refused");
        yield return new TestCaseData(RelayItemKinds.Ticket, "{\"externalId\": \"PASS-1\", \"by\": \"moi\"}").SetName("Acknowledging_with_an_unknown_field_is_refused");
        yield return new TestCaseData(RelayItemKinds.Comment, Number("PASS-1")).SetName("Acknowledging_a_comment_with_a_number_is_refused");
    }

    [TestCaseSource(nameof(InvalidAcknowledgements))]
    public async Task Invalid_acknowledgement_gets_a_422_and_changes_nothing(string kind, string body)
    {
        var (id, reference) = await Tickets.RoutedAsync(ExternalTools.Pass);
        var item = kind == RelayItemKinds.Ticket
            ? TicketItem(id, reference, ExternalTools.Pass, T0)
            : CommentItem(id, reference, ExternalTools.Pass, "PASS-1", T0);
        await Tickets.DeliverAsync(item);

        using var response = await AckAsync(item.ItemId, body);

        Assert.That((int)response.StatusCode, Is.EqualTo(422), await response.Content.ReadAsStringAsync());
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Is.Not.Empty);
        Assert.That((await Client.GetFromJsonAsync<JsonObject>($"/api/v1/relay/{item.ItemId}"))!["state"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(await AcknowledgedMessagesAsync(), Is.Zero);
    }

    [Test]
    public async Task Acknowledging_without_a_token_is_a_401_and_changes_nothing()
    {
        var item = await PendingPassTicketAsync();
        using var anonymous = Factory.CreateClient();

        using var response = await anonymous.PostAsJsonAsync($"/api/v1/relay/{item.ItemId}/ack", new { externalId = "PASS-42" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await AcknowledgedMessagesAsync(), Is.Zero);
    }

    [Test]
    public async Task The_Rectorat_works_the_PASS_queue_only_and_the_building_service_the_Omere_queue_only()
    {
        var pass = await PendingPassTicketAsync();
        var (omereId, omereRef) = await Tickets.RoutedAsync(ExternalTools.Omere, "UT1");
        var omere = TicketItem(omereId, omereRef, ExternalTools.Omere, T0.AddMinutes(1), "UT1");
        await Tickets.DeliverAsync(omere);
        var building = new HubUser("operateur-omere", "operateur.omere@seinesaintdenis.fr", HubRoles.Omere, null, false);

        async Task<(HttpStatusCode Status, JsonObject? Body)> GetAsync(string path, HubUser user)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path).As(user);
            using var response = await Client.SendAsync(request);
            return (response.StatusCode, response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null);
        }

        var rectoratDefault = await GetAsync("/api/v1/relay", Operator);
        var buildingDefault = await GetAsync("/api/v1/relay", building);
        Assert.Multiple(() =>
        {
            Assert.That(Ids(rectoratDefault.Body!), Is.EqualTo(new[] { pass.ItemId }), "the Rectorat's list is PASS's, without asking");
            Assert.That(Ids(buildingDefault.Body!), Is.EqualTo(new[] { omere.ItemId }), "the building service's list is Omère's");
        });
        Assert.That((await GetAsync("/api/v1/relay?tool=omere", Operator)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await GetAsync("/api/v1/relay?tool=pass", building)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await GetAsync($"/api/v1/relay/{omere.ItemId}", Operator)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(Ids(await ListAsync("")), Is.EquivalentTo(new[] { pass.ItemId, omere.ItemId }), "an administrator sees both");

        using var refused = await AckAsync(omere.ItemId, Number("OM-1"), Operator);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var confirmed = await AckAsync(omere.ItemId, Number("OM-1"), building);
        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await AcknowledgedMessagesAsync(), Is.EqualTo(1));
    }

    [TestCase("5f1c1a52-9a3e-4b52-9f65-6d0c7c1e2a10")]
    [TestCase("pas-un-identifiant")]
    public async Task An_unknown_item_is_a_French_404(string itemId)
    {
        using var ack = await AckAsync(itemId, Number("PASS-42"));
        using var get = await Client.GetAsync($"/api/v1/relay/{itemId}");

        Assert.That(ack.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = await get.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Ressource introuvable"));
    }
}
