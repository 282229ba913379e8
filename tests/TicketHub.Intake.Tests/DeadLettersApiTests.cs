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

/// <summary>The administrators' list of dead letters: read, replay (one or all), discard, each audited.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public class DeadLettersApiTests(DatabaseProvider provider) : IntakeTest(provider)
{
    private static readonly HubUser Admin = new("admin-tie", "admin.tie@seinesaintdenis.fr", HubRoles.Admin, null, false);

    private static readonly HubUser OtherAdmin = new("autre-admin", "autre.admin@seinesaintdenis.fr", HubRoles.Admin, null, false);

    private static readonly DateTimeOffset T0 = TicketScenarios.T0;

    private async Task<MessageDeadLettered> ReportedAsync(string service = "connectors-glpi", DateTimeOffset? at = null)
    {
        var letter = MessageDeadLetteredConsumerTests.Letter(Guid.NewGuid(), null, service, at ?? T0);
        await Tickets.DeliverAsync(letter);
        return letter;
    }

    private Task<HttpResponseMessage> PostAsync(string path, string? body = null, HubUser? user = null) =>
        PostJsonAsync($"/api/v1/admin/dead-letters{path}", body, user ?? Admin);

    private async Task<HttpStatusCode> StatusOfAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        return response.StatusCode;
    }

    private static string Reason(string reason) => JsonSerializer.Serialize(new { reason });

    private async Task<JsonObject> ListAsync(string query) => (await Client.GetFromJsonAsync<JsonObject>($"/api/v1/admin/dead-letters{query}"))!;

    private static IEnumerable<Guid> Ids(JsonObject page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>());

    private async Task<IReadOnlyList<(Guid DeadLetterId, string Action, string ActedBy, string? Reason)>> AuditAsync()
    {
        await using var connection = await Factory.OpenAsync();
        var rows = await connection.QueryAsync<(string, string, string, string?)>(
            "SELECT CAST(dead_letter_id AS TEXT), action, acted_by, reason FROM dead_letter_actions ORDER BY seq");
        return rows.Select(r => (Guid.Parse(r.Item1), r.Item2, r.Item3, r.Item4)).ToList();
    }

    /// <summary>DeadLetterReplayRequested messages written to the outbox (published or not yet).</summary>
    private async Task<long> ReplayRequestsInOutboxAsync()
    {
        await using var connection = await Factory.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE message_type = @Type",
            new { Type = typeof(DeadLetterReplayRequested).FullName });
    }

    [Test]
    public async Task The_list_shows_open_dead_letters_oldest_first_and_filters_by_state_and_service()
    {
        var glpiLate = await ReportedAsync("connectors-glpi", T0.AddMinutes(3));
        var glpiEarly = await ReportedAsync("connectors-glpi", T0.AddMinutes(1));
        var itop = await ReportedAsync("connectors-itop", T0.AddMinutes(2));
        var classifier = await ReportedAsync("classifier", T0.AddMinutes(4));
        using (var replayed = await PostAsync($"/{itop.DeadLetterId}/replay"))
        {
            Assert.That(replayed.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await replayed.Content.ReadAsStringAsync());
        }

        using (var discarded = await PostAsync($"/{classifier.DeadLetterId}/discard", Reason("Ticket de test.")))
        {
            Assert.That(discarded.StatusCode, Is.EqualTo(HttpStatusCode.OK), await discarded.Content.ReadAsStringAsync());
        }

        var open = Ids(await ListAsync(""));
        var all = Ids(await ListAsync("?state=all"));
        var replayedOnly = Ids(await ListAsync("?state=replayed"));
        var glpi = Ids(await ListAsync("?service=connectors-glpi"));
        var itopOpen = Ids(await ListAsync("?service=connectors-itop"));
        Assert.Multiple(() =>
        {
            Assert.That(open, Is.EqualTo(new[] { glpiEarly.DeadLetterId, glpiLate.DeadLetterId }), "open by default, oldest failure first");
            Assert.That(all, Is.EqualTo(new[] { glpiEarly.DeadLetterId, itop.DeadLetterId, glpiLate.DeadLetterId, classifier.DeadLetterId }));
            Assert.That(replayedOnly, Is.EqualTo(new[] { itop.DeadLetterId }));
            Assert.That(glpi, Is.EqualTo(new[] { glpiEarly.DeadLetterId, glpiLate.DeadLetterId }));
            Assert.That(itopOpen, Is.Empty);
        });

        var item = (await ListAsync("?state=discarded"))["items"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(item["id"]!.GetValue<Guid>(), Is.EqualTo(classifier.DeadLetterId));
            Assert.That(item["service"]!.GetValue<string>(), Is.EqualTo("classifier"));
            Assert.That(item["queue"]!.GetValue<string>(), Is.EqualTo("classifier-ticket-routed"));
            Assert.That(item["messageType"]!.GetValue<string>(), Is.EqualTo("TicketRouted"));
            Assert.That(item["messageId"]!.GetValue<Guid>(), Is.EqualTo(classifier.MessageId));
            Assert.That(item["ticketId"]!.GetValue<Guid>(), Is.EqualTo(classifier.TicketId));
            Assert.That(item["reason"]!.GetValue<string>(), Does.StartWith("HttpRequestException"));
            Assert.That(item["attempts"]!.GetValue<int>(), Is.EqualTo(20));
            Assert.That(item["firstFailedAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(T0.AddMinutes(4 - 21)));
            Assert.That(item["lastFailedAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(T0.AddMinutes(4)));
            Assert.That(item["state"]!.GetValue<string>(), Is.EqualTo("discarded"));
            Assert.That(item["resolution"]!["by"]!.GetValue<string>(), Is.EqualTo(Admin.AuditName));
            Assert.That(item["resolution"]!["reason"]!.GetValue<string>(), Is.EqualTo("Ticket de test."));
        });
    }

    [Test]
    public async Task The_list_is_read_page_by_page_without_gaps()
    {
        var letters = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            letters.Add((await ReportedAsync(at: T0.AddMinutes(i))).DeadLetterId);
        }

        var first = await ListAsync("?limit=2");
        var second = await ListAsync($"?limit=2&after={first["next"]!.GetValue<string>()}");

        Assert.That(Ids(first), Is.EqualTo(letters.Take(2)));
        Assert.That(Ids(second), Is.EqualTo(letters.Skip(2)));
        Assert.That(second["next"], Is.Null);
    }

    [TestCase("?state=done")]
    [TestCase("?limit=0")]
    [TestCase("?limit=501")]
    [TestCase("?after=pas-un-curseur")]
    [TestCase("?after=5f1c1a52-9a3e-4b52-9f65-6d0c7c1e2a10")]
    public async Task An_invalid_list_query_is_a_French_400(string query)
    {
        using var response = await Client.GetAsync($"/api/v1/admin/dead-letters{query}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Requête invalide"));
    }

    [Test]
    public async Task Replaying_marks_it_replayed_and_publishes_one_DeadLetterReplayRequested_to_its_service()
    {
        var letter = await ReportedAsync("connectors-itop");

        using var response = await PostAsync($"/{letter.DeadLetterId}/replay");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var answered = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Multiple(() =>
        {
            Assert.That(answered["state"]!.GetValue<string>(), Is.EqualTo("replayed"));
            Assert.That(answered["resolution"]!["by"]!.GetValue<string>(), Is.EqualTo(Admin.AuditName));
            Assert.That(answered["resolution"]!["reason"], Is.Null);
        });

        var harness = Factory.Services.GetTestHarness();
        Assert.That(await harness.Published.Any<DeadLetterReplayRequested>(m => m.Context.Message.DeadLetterId == letter.DeadLetterId), Is.True);
        var published = harness.Published.Select<DeadLetterReplayRequested>().Single().Context.Message;
        Assert.Multiple(() =>
        {
            Assert.That((published.DeadLetterId, published.Service, published.RequestedBy),
                Is.EqualTo((letter.DeadLetterId, "connectors-itop", Admin.AuditName)));
            Assert.That(published.RequestedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        });

        var read = (await Client.GetFromJsonAsync<JsonObject>($"/api/v1/admin/dead-letters/{letter.DeadLetterId}"))!;
        Assert.That(read["state"]!.GetValue<string>(), Is.EqualTo("replayed"));
    }

    [Test]
    public async Task Replaying_twice_is_a_conflict_that_sends_nothing_more()
    {
        var letter = await ReportedAsync();
        Assert.That(await StatusOfAsync(PostAsync($"/{letter.DeadLetterId}/replay")), Is.EqualTo(HttpStatusCode.Accepted));

        using var again = await PostAsync($"/{letter.DeadLetterId}/replay", user: OtherAdmin);

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("déjà été rejoué").And.Contain(Admin.AuditName));
        Assert.That(await ReplayRequestsInOutboxAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Replay_all_replays_every_open_one_of_the_service_asked_and_answers_the_count()
    {
        var glpi1 = await ReportedAsync("connectors-glpi", T0.AddMinutes(1));
        var glpi2 = await ReportedAsync("connectors-glpi", T0.AddMinutes(2));
        var itop = await ReportedAsync("connectors-itop", T0.AddMinutes(3));
        var discarded = await ReportedAsync("connectors-glpi", T0.AddMinutes(4));
        Assert.That(await StatusOfAsync(PostAsync($"/{discarded.DeadLetterId}/discard", Reason("Doublon."))), Is.EqualTo(HttpStatusCode.OK));

        using var glpi = await PostAsync("/replay?service=connectors-glpi");
        using var rest = await PostAsync("/replay");
        using var none = await PostAsync("/replay");

        Assert.That(glpi.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await glpi.Content.ReadAsStringAsync());
        var counts = new List<int>();
        foreach (var response in new[] { glpi, rest, none })
        {
            counts.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["replayed"]!.GetValue<int>());
        }

        Assert.That(counts, Is.EqualTo(new[] { 2, 1, 0 }));

        var harness = Factory.Services.GetTestHarness();
        Assert.That(await harness.Published.Any<DeadLetterReplayRequested>(m => m.Context.Message.DeadLetterId == itop.DeadLetterId), Is.True);
        var published = harness.Published.Select<DeadLetterReplayRequested>().Select(m => (m.Context.Message.DeadLetterId, m.Context.Message.Service)).ToList();
        Assert.That(published, Is.EquivalentTo(new[]
        {
            (glpi1.DeadLetterId, "connectors-glpi"), (glpi2.DeadLetterId, "connectors-glpi"), (itop.DeadLetterId, "connectors-itop"),
        }));
        Assert.That(Ids(await ListAsync("")), Is.Empty);
    }

    [TestCase("{}")]
    [TestCase("{\"reason\": \"   \"}")]
    [TestCase("{\"reason\": 12}")]
    [TestCase("{\"raison\": \"Doublon.\"}")]
    public async Task Discarding_without_a_valid_reason_is_a_French_422(string body)
    {
        var letter = await ReportedAsync();

        using var response = await PostAsync($"/{letter.DeadLetterId}/discard", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Has.Some.EqualTo("reason").Or.Some.EqualTo("raison"));
        Assert.That(Ids(await ListAsync("")), Is.EqualTo(new[] { letter.DeadLetterId }), "still open");
    }

    [Test]
    public async Task Discarding_with_a_reason_over_500_characters_is_a_422()
    {
        var letter = await ReportedAsync();

        using var response = await PostAsync($"/{letter.DeadLetterId}/discard", Reason(new string('x', 501)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    [Test]
    public async Task A_discarded_dead_letter_can_be_neither_replayed_nor_discarded_again()
    {
        var letter = await ReportedAsync();

        using var discarded = await PostAsync($"/{letter.DeadLetterId}/discard", Reason("Demande en double, saisie à la main."));
        using var replay = await PostAsync($"/{letter.DeadLetterId}/replay");
        using var again = await PostAsync($"/{letter.DeadLetterId}/discard", Reason("Encore."));

        Assert.That(discarded.StatusCode, Is.EqualTo(HttpStatusCode.OK), await discarded.Content.ReadAsStringAsync());
        var answered = (await discarded.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(answered["resolution"]!["reason"]!.GetValue<string>(), Is.EqualTo("Demande en double, saisie à la main."));
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await replay.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("abandonné"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await ReplayRequestsInOutboxAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_replayed_dead_letter_cannot_be_discarded()
    {
        var letter = await ReportedAsync();
        Assert.That(await StatusOfAsync(PostAsync($"/{letter.DeadLetterId}/replay")), Is.EqualTo(HttpStatusCode.Accepted));

        Assert.That(await StatusOfAsync(PostAsync($"/{letter.DeadLetterId}/discard", Reason("Trop tard."))), Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Every_write_without_a_token_is_a_401_and_changes_nothing()
    {
        var letter = await ReportedAsync();
        using var anonymous = Factory.CreateClient();

        foreach (var (path, body) in new[] { ($"/{letter.DeadLetterId}/replay", ""), ("/replay", ""), ($"/{letter.DeadLetterId}/discard", Reason("Doublon.")) })
        {
            using var response = await anonymous.PostAsync($"/api/v1/admin/dead-letters{path}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), path);
        }

        Assert.That(Ids(await ListAsync("")), Is.EqualTo(new[] { letter.DeadLetterId }));
        Assert.That(await Factory.CountAsync("dead_letter_actions"), Is.Zero);
    }

    [Test]
    public async Task Actions_are_audited_under_the_token_s_user_whatever_the_X_TicketHub_User_header_says()
    {
        var letter = await ReportedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/dead-letters/{letter.DeadLetterId}/replay");
        request.Headers.Add("X-TicketHub-User", "quelqu.un.d.autre@exemple.fr");

        using var response = await Client.SendAsync(request.As(Admin));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await using var connection = await Factory.OpenAsync();
        Assert.That(await connection.QuerySingleAsync<string>("SELECT acted_by FROM dead_letter_actions"), Is.EqualTo("admin.tie@seinesaintdenis.fr (admin)"));
    }

    [TestCase("5f1c1a52-9a3e-4b52-9f65-6d0c7c1e2a10")]
    [TestCase("pas-un-identifiant")]
    public async Task An_unknown_dead_letter_is_a_French_404(string id)
    {
        using var get = await Client.GetAsync($"/api/v1/admin/dead-letters/{id}");
        using var replay = await PostAsync($"/{id}/replay");
        using var discard = await PostAsync($"/{id}/discard", Reason("Doublon."));

        foreach (var response in new[] { get, replay, discard })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo("Aucun message en échec ne porte cet identifiant."));
        }
    }

    [Test]
    public async Task Every_action_is_audited_with_who_and_why()
    {
        var replayed = await ReportedAsync(at: T0.AddMinutes(1));
        var discarded = await ReportedAsync(at: T0.AddMinutes(2));
        var bulk = await ReportedAsync(at: T0.AddMinutes(3));

        Assert.That(await StatusOfAsync(PostAsync($"/{replayed.DeadLetterId}/replay")), Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await StatusOfAsync(PostAsync($"/{discarded.DeadLetterId}/discard", Reason("Doublon."), user: OtherAdmin)),
            Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StatusOfAsync(PostAsync("/replay")), Is.EqualTo(HttpStatusCode.Accepted));

        Assert.That(await AuditAsync(), Is.EqualTo(new[]
        {
            (replayed.DeadLetterId, "replay", Admin.AuditName, (string?)null),
            (discarded.DeadLetterId, "discard", OtherAdmin.AuditName, "Doublon."),
            (bulk.DeadLetterId, "replay-all", Admin.AuditName, null),
        }));
    }
}
