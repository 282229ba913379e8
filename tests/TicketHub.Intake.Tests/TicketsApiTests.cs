using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public class TicketsApiTests(DatabaseProvider provider) : IntakeTest(provider)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> PostAsync(JsonNode body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = Json(body.ToJsonString()) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Client.SendAsync(request);
    }

    [Test]
    public async Task Accepts_a_ticket_with_202_location_and_reference_then_shows_it_received()
    {
        var response = await PostAsync(TicketRequestParserTests.ValidBody());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        var id = accepted!["id"]!.GetValue<string>();
        Assert.That(accepted["reference"]!.GetValue<string>(), Does.Match(@"^TH-\d{4}-\d{6}$"));
        Assert.That(accepted["status"]!.GetValue<string>(), Is.EqualTo("received"));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/tickets/{id}"));

        var ticket = await Client.GetFromJsonAsync<JsonObject>(response.Headers.Location);
        Assert.Multiple(() =>
        {
            Assert.That(ticket!["status"]!.GetValue<string>(), Is.AnyOf("received", "routed"));
            Assert.That(ticket["title"]!.GetValue<string>(), Is.EqualTo("Le VPI de la salle 12 ne s'allume plus"));
            Assert.That(ticket["requester"]!["email"]!.GetValue<string>(), Is.EqualTo("claire.martin@ac-creteil.fr"));
            Assert.That(ticket["history"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(ticket["route"], Is.Null);
            Assert.That(ticket["external"], Is.Null);
        });
    }

    [Test]
    public async Task Numbers_references_one_after_the_other()
    {
        var first = await (await PostAsync(TicketRequestParserTests.ValidBody())).Content.ReadFromJsonAsync<JsonObject>();
        var second = await (await PostAsync(TicketRequestParserTests.ValidBody())).Content.ReadFromJsonAsync<JsonObject>();

        var a = int.Parse(first!["reference"]!.GetValue<string>()[^6..], System.Globalization.CultureInfo.InvariantCulture);
        var b = int.Parse(second!["reference"]!.GetValue<string>()[^6..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(b, Is.EqualTo(a + 1));
    }

    [Test]
    public async Task Finds_a_ticket_by_its_reference()
    {
        var accepted = await (await PostAsync(TicketRequestParserTests.ValidBody())).Content.ReadFromJsonAsync<JsonObject>();
        var reference = accepted!["reference"]!.GetValue<string>();

        var ticket = await Client.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{reference}");

        Assert.That(ticket!["id"]!.GetValue<string>(), Is.EqualTo(accepted["id"]!.GetValue<string>()));
    }

    public static IEnumerable<TestCaseData> RejectedRequests()
    {
        yield return new TestCaseData("application/json", "{\"collegeUai\": ", HttpStatusCode.BadRequest).SetName("Rejects_malformed_JSON_with_400");
        yield return new TestCaseData("application/json", "", HttpStatusCode.BadRequest).SetName("Rejects_an_empty_body_with_400");
        yield return new TestCaseData("application/json", "{\"a\":" + new string('[', 40) + new string(']', 40) + "}", HttpStatusCode.BadRequest).SetName("Rejects_deeply_nested_JSON_with_400");
        yield return new TestCaseData("text/plain", "bonjour", HttpStatusCode.UnsupportedMediaType).SetName("Rejects_a_non_JSON_content_type_with_415");
        yield return new TestCaseData("application/json", "{\"collegeUai\": 12}", (HttpStatusCode)422).SetName("Rejects_wrong_types_with_422");
        yield return new TestCaseData("application/json", "[]", (HttpStatusCode)422).SetName("Rejects_a_JSON_array_with_422");
        yield return new TestCaseData("application/json", "\"ticket\"", (HttpStatusCode)422).SetName("Rejects_a_JSON_string_with_422");
    }

    [TestCaseSource(nameof(RejectedRequests))]
    public async Task Rejected_request_gets_a_French_problem_and_stores_nothing(string contentType, string body, HttpStatusCode expected)
    {
        var response = await Client.PostAsync("/api/v1/tickets", new StringContent(body, Encoding.UTF8, contentType));

        Assert.That(response.StatusCode, Is.EqualTo(expected));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["status"]!.GetValue<int>(), Is.EqualTo((int)expected));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Match("[éèàêç]|La |Le |Envoyez|Données"));
        Assert.That(await Factory.CountAsync("tickets"), Is.Zero);
        Assert.That(await Factory.CountAsync("outbox_messages"), Is.Zero);
    }

    [Test]
    public async Task A_ticket_neither_in_JSON_nor_in_a_form_is_a_415_naming_both()
    {
        var response = await Client.PostAsync("/api/v1/tickets", new StringContent("bonjour", Encoding.UTF8, "text/plain"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Is.EqualTo(
            "Envoyez la demande en JSON (Content-Type: application/json) ou, avec des pièces jointes, en multipart/form-data (partie « ticket » et fichiers « attachments »)."));
    }

    [Test]
    public async Task Validation_problem_lists_errors_per_field()
    {
        var body = TicketRequestParserTests.ValidBody();
        body["collegeUai"] = "123";
        body["urgency"] = "urgentissime";

        var response = await PostAsync(body);

        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Données invalides"));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "collegeUai", "urgency" }));
        Assert.That(await Factory.CountAsync("tickets"), Is.Zero);
    }

    [Test]
    public async Task Same_idempotency_key_returns_the_same_ticket_and_stores_one()
    {
        var first = await PostAsync(TicketRequestParserTests.ValidBody(), "college-0931234X-42");
        var second = await PostAsync(TicketRequestParserTests.ValidBody(), "college-0931234X-42");

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(second.Headers.Location, Is.EqualTo(first.Headers.Location));
        Assert.That(await Factory.CountAsync("tickets"), Is.EqualTo(1));
        Assert.That(await Factory.CountAsync("outbox_messages"), Is.EqualTo(1));
    }

    [Test]
    public async Task Concurrent_requests_with_one_idempotency_key_create_one_ticket()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(TicketRequestParserTests.ValidBody(), "same-key")));

        Assert.That(responses.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.Accepted));
        Assert.That(responses.Select(r => r.Headers.Location).Distinct().Count(), Is.EqualTo(1));
        Assert.That(await Factory.CountAsync("tickets"), Is.EqualTo(1));
    }

    [Test]
    public async Task Idempotency_key_reused_for_another_body_is_refused()
    {
        await PostAsync(TicketRequestParserTests.ValidBody(), "key-1");
        var other = TicketRequestParserTests.ValidBody();
        other["title"] = "Autre chose";

        var response = await PostAsync(other, "key-1");

        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        Assert.That(await Factory.CountAsync("tickets"), Is.EqualTo(1));
    }

    [Test]
    public async Task Idempotency_key_of_one_caller_neither_reveals_nor_returns_anothers_ticket()
    {
        var moulin = TestIdentity.College("0931234X");
        var other = TestIdentity.College("0931235A");
        var theirs = TicketRequestParserTests.ValidBody();
        theirs["collegeUai"] = "0931235A";
        var first = await SendAsync(theirs, "shared-key", other);

        var mine = TicketRequestParserTests.ValidBody();
        mine["title"] = "Autre chose";
        var differentBody = await SendAsync(mine, "shared-key", moulin);
        var dispatcherSameBody = await SendAsync(theirs, "shared-key", TestIdentity.Dispatcher);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(differentBody.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "another caller's key is not this caller's: no 422");
        Assert.That(dispatcherSameBody.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(dispatcherSameBody.Headers.Location, Is.Not.EqualTo(first.Headers.Location), "the dispatcher gets its own ticket, not the collège's id");
        Assert.That(await Factory.CountAsync("tickets"), Is.EqualTo(3));
    }

    [Test]
    public async Task Idempotency_key_of_a_person_and_of_an_api_key_with_the_same_id_are_distinct()
    {
        var person = TestIdentity.College("0931234X");
        var key = person with { IsApiKey = true };

        var first = await SendAsync(TicketRequestParserTests.ValidBody(), "k", person);
        var second = await SendAsync(TicketRequestParserTests.ValidBody(), "k", key);
        var again = await SendAsync(TicketRequestParserTests.ValidBody(), "k", key);

        Assert.That(second.Headers.Location, Is.Not.EqualTo(first.Headers.Location));
        Assert.That(again.Headers.Location, Is.EqualTo(second.Headers.Location));
    }

    private Task<HttpResponseMessage> SendAsync(JsonNode body, string idempotencyKey, TicketHub.ServiceDefaults.Security.HubUser user)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = Json(body.ToJsonString()) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Client.SendAsync(request.As(user));
    }

    [Test]
    public async Task Unknown_ticket_is_a_French_404()
    {
        var response = await Client.GetAsync($"/api/v1/tickets/{Guid.NewGuid()}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Ressource introuvable"));
    }

    [Test]
    public async Task Outbox_relay_publishes_TicketSubmitted_with_the_stored_message_id()
    {
        var harness = Factory.Services.GetTestHarness();
        var accepted = await (await PostAsync(TicketRequestParserTests.ValidBody())).Content.ReadFromJsonAsync<JsonObject>();
        var id = Guid.Parse(accepted!["id"]!.GetValue<string>());

        Assert.That(await harness.Published.Any<TicketSubmitted>(m => m.Context.Message.TicketId == id), Is.True);
        var published = harness.Published.Select<TicketSubmitted>(m => m.Context.Message.TicketId == id).Single();
        Assert.That(published.Context.Message.Reference, Is.EqualTo(accepted["reference"]!.GetValue<string>()));
        Assert.That(published.Context.Message.Ticket.Category, Is.EqualTo("vpi"));

        await using var connection = await Factory.OpenAsync();
        var row = await WaitForSentAsync(connection);
        Assert.That(Guid.Parse(row.MessageId), Is.EqualTo(published.Context.MessageId));
    }

    private static async Task<(string MessageId, string? SentAt)> WaitForSentAsync(System.Data.Common.DbConnection connection)
    {
        for (var i = 0; i < 50; i++)
        {
            var row = await connection.QuerySingleAsync<(string MessageId, string? SentAt)>("SELECT CAST(message_id AS TEXT), CAST(sent_at AS TEXT) FROM outbox_messages");
            if (row.SentAt is not null)
            {
                return row;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The outbox row was never marked sent.");
        throw new InvalidOperationException();
    }

    [Test]
    public async Task Forwarded_before_routed_still_ends_forwarded_with_route_and_external_ticket()
    {
        var (id, reference) = await CreateAsync();
        var bus = Factory.Services.GetRequiredService<IBus>();

        await bus.Publish(new TicketForwarded(id, reference, "glpi", "4711", "http://glpi/front/ticket.form.php?id=4711", DateTimeOffset.UtcNow));
        var ticket = await Tickets.WaitForAsync(id, t => t["status"]!.GetValue<string>() == "forwarded");
        await bus.Publish(Routed(id, reference));
        ticket = await Tickets.WaitForAsync(id, t => t["route"] is not null);

        Assert.Multiple(() =>
        {
            Assert.That(ticket["status"]!.GetValue<string>(), Is.EqualTo("forwarded"));
            Assert.That(ticket["route"]!["rule"]!.GetValue<string>(), Is.EqualTo("R4"));
            Assert.That(ticket["route"]!["explanation"]!.GetValue<string>(), Does.Contain("infogérant"));
            Assert.That(ticket["flags"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EquivalentTo(new[] { "dat-amiante" }));
            Assert.That(ticket["external"]!["id"]!.GetValue<string>(), Is.EqualTo("4711"));
            Assert.That(ticket["history"]!.AsArray().Select(h => h!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "received", "forwarded" }));
        });
    }

    [Test]
    public async Task Redelivered_TicketRouted_has_one_effect()
    {
        var (id, reference) = await CreateAsync();
        var bus = Factory.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();

        await bus.Publish(Routed(id, reference), c => c.MessageId = messageId);
        await bus.Publish(Routed(id, reference), c => c.MessageId = messageId);
        var harness = Factory.Services.GetTestHarness();
        await harness.InactivityTask;

        var ticket = await Tickets.WaitForAsync(id, t => t["status"]!.GetValue<string>() == "routed");
        Assert.That(ticket["history"]!.AsArray().Count(h => h!["status"]!.GetValue<string>() == "routed"), Is.EqualTo(1));
        Assert.That(await Factory.CountAsync("inbox_messages"), Is.EqualTo(1));
    }

    [Test]
    public async Task Ticket_the_tool_refused_is_shown_failed_with_the_tools_words_for_operators_only()
    {
        var (id, reference) = await Tickets.RoutedAsync(ExternalTools.Glpi);
        const string toolText = "iTop a refusé la demande (code 100) : issues = {0=>Champ obligatoire}, class = UserRequest, id = -1";

        await Tickets.DeliverAsync(new TicketForwardingFailed(id, reference, ExternalTools.Glpi, toolText, TicketScenarios.T0));

        var asAdmin = await Tickets.GetAsync(id);
        using var college = Factory.ClientFor(TestIdentity.College("0931234X"));
        var asCollege = (await college.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}"))!;
        const string plain = "L'infogérant du Département (GLPI) n'a pas accepté la demande. L'équipe TicketHub en est avertie : elle la corrigera ou l'orientera autrement.";
        Assert.Multiple(() =>
        {
            Assert.That(asAdmin["status"]!.GetValue<string>(), Is.EqualTo("failed"));
            Assert.That(asAdmin["failureReason"]!.GetValue<string>(), Is.EqualTo(plain));
            Assert.That(asAdmin["failureDetail"]!.GetValue<string>(), Is.EqualTo(toolText), "the operators keep the tool's words");
            Assert.That(asCollege["failureReason"]!.GetValue<string>(), Is.EqualTo(plain));
            Assert.That(asCollege["failureDetail"], Is.Null, "the collège never reads the tool's words");
            Assert.That(asCollege.ToJsonString(), Does.Not.Contain("class = UserRequest"), "not in the timeline either");
        });
    }

    private async Task<(Guid Id, string Reference)> CreateAsync()
    {
        var accepted = await (await PostAsync(TicketRequestParserTests.ValidBody())).Content.ReadFromJsonAsync<JsonObject>();
        return (Guid.Parse(accepted!["id"]!.GetValue<string>()), accepted["reference"]!.GetValue<string>());
    }

    private static TicketRouted Routed(Guid id, string reference)
    {
        var details = new TicketDetails("0931234X", new Requester("Claire", "c@ac-creteil.fr", null), "ZP", "vpi", "request", false, "VPI", "à installer", "normal", null, null);
        var route = new RouteDecision("infogerant", "glpi", null, "R4", "test-1", "Votre demande est transmise à l'infogérant du Département (GLPI).", ["dat-amiante"]);
        return new TicketRouted(id, reference, DateTimeOffset.UtcNow, details, route, new CollegeSnapshot("0931234X", "Collège Test", "Bobigny", "UT1"), DateTimeOffset.UtcNow);
    }
}
