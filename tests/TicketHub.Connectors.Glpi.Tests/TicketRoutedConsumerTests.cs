using System.Net;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Contracts;
using WireMock.RequestBuilders;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>The whole connector: a TicketRouted on the bus, GLPI (WireMock) answering, events out of the outbox.</summary>
public sealed class TicketRoutedConsumerTests
{
    private static FakeGlpi Glpi => GlpiServers.Glpi;

    private ConnectorApp _app = null!;
    private ITestHarness _harness = null!;

    [SetUp]
    public void SetUp()
    {
        Glpi.Reset();
        Glpi.AcceptsLogin("session-1");
        _app = new ConnectorApp();
        _harness = _app.Harness;
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    [Test]
    public async Task Creates_the_ticket_in_GLPI_and_announces_it_with_its_id_and_link()
    {
        Glpi.CreatesTicket(15);
        var routed = TestTickets.Routed();

        await _harness.Bus.Publish(routed);

        var forwarded = await PublishedAsync<TicketForwarded>(routed.TicketId);
        Assert.That(forwarded.Reference, Is.EqualTo(routed.Reference));
        Assert.That(forwarded.Tool, Is.EqualTo(ExternalTools.Glpi));
        Assert.That(forwarded.ExternalId, Is.EqualTo("15"));
        Assert.That(forwarded.ExternalUrl, Is.EqualTo("https://glpi.example/front/ticket.form.php?id=15"));
        Assert.That(Glpi.Requests("POST", "/Ticket"), Has.Count.EqualTo(1));
        Assert.That(Glpi.Requests("GET", "/search/Ticket"), Is.Empty, "a first attempt has nothing to look up");
        Assert.That(await _app.ExternalTicketAsync(routed.TicketId), Is.EqualTo(("created", "15", 1L, (string?)null)));
    }

    [Test]
    public async Task Names_as_requester_the_GLPI_user_with_the_requester_s_e_mail()
    {
        Glpi.CreatesTicket(15);
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/User").UsingGet())
            .RespondWith(FakeGlpi.Json(200, JsonNode.Parse("""{"totalcount":1,"count":1,"data":[{"1":"cmartin","2":21,"5":"claire.martin@ac-creteil.fr","8":1}],"content-range":"0-0/1"}""")!));
        var routed = TestTickets.Routed();

        await _harness.Bus.Publish(routed);

        await PublishedAsync<TicketForwarded>(routed.TicketId);
        var input = JsonNode.Parse(Glpi.Requests("POST", "/Ticket").Single().RequestMessage.Body!)!["input"]!.AsObject();
        Assert.That((int)input["_users_id_requester"]!, Is.EqualTo(21));
        Assert.That(input.ContainsKey("_users_id_requester_notif"), Is.False);
        Assert.That(input.ContainsKey("externalid"), Is.False, "GLPI 10 has no externalid");
        Assert.That((string)input["name"]!, Is.EqualTo("[TH-2026-000042] Imprimante de la salle 12 en panne"));
    }

    [Test]
    public async Task Asks_GLPI_to_notify_the_requester_s_e_mail_when_no_GLPI_user_has_it()
    {
        Glpi.CreatesTicket(15);
        var routed = TestTickets.Routed();

        await _harness.Bus.Publish(routed);

        await PublishedAsync<TicketForwarded>(routed.TicketId);
        var input = JsonNode.Parse(Glpi.Requests("POST", "/Ticket").Single().RequestMessage.Body!)!["input"]!.AsObject();
        Assert.That((int)input["_users_id_requester"]!, Is.EqualTo(0));
        Assert.That(input["_users_id_requester_notif"]!.ToJsonString(), Is.EqualTo("""{"use_notification":[1],"alternative_email":["claire.martin@ac-creteil.fr"]}"""));
    }

    [Test]
    public async Task Creates_nothing_while_the_lookup_of_an_unfinished_attempt_cannot_be_read()
    {
        // GLPI 10 answers a search it cannot run with 200 and an empty HTML page.
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/Ticket").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html; charset=UTF-8").WithBody(""));
        Glpi.CreatesTicket(99);
        var routed = TestTickets.Routed(reference: "TH-2026-000042");
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);

        await _harness.Bus.Publish(routed);

        await Eventually.TrueAsync(() => Glpi.Requests("GET", "/search/Ticket").Count >= 2, "the lookup tried again", seconds: 20);
        Assert.That(Glpi.Requests("POST", "/Ticket"), Is.Empty, "an answer that cannot be read is not \"not found\"");
        Assert.That(_harness.Published.Select<TicketForwarded>().Any(), Is.False);
        Assert.That(_app.Logs.Lines, Has.Some.Contains("UNREADABLE_ANSWER"));
    }

    [Test]
    public async Task Creates_the_ticket_once_when_the_message_is_delivered_twice()
    {
        Glpi.CreatesTicket(15);
        var routed = TestTickets.Routed();
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);
        await PublishedAsync<TicketForwarded>(routed.TicketId);
        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);

        await Eventually.TrueAsync(() => _app.Logs.Lines.Any(line => line.Contains("Ticket TH-2026-000042 already delivered to GLPI as 15; nothing to do", StringComparison.Ordinal)), "second delivery handled", seconds: 15);
        await _harness.InactivityTask;
        Assert.That(Glpi.Requests("POST", "/Ticket"), Has.Count.EqualTo(1));
        Assert.That(_harness.Published.Select<TicketForwarded>().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Reuses_the_ticket_an_unfinished_earlier_attempt_created_instead_of_posting_again()
    {
        Glpi.ListsTickets((76, "TH-2026-0000420"), (77, "TH-2026-000042"));
        Glpi.CreatesTicket(99);
        var routed = TestTickets.Routed(reference: "TH-2026-000042");
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);

        await _harness.Bus.Publish(routed);

        var forwarded = await PublishedAsync<TicketForwarded>(routed.TicketId);
        Assert.That(forwarded.ExternalId, Is.EqualTo("77"));
        Assert.That(Glpi.Requests("POST", "/Ticket"), Is.Empty);
        var lookup = Glpi.Requests("GET", "/search/Ticket").Single();
        Assert.That(FakeGlpi.Query(lookup, "criteria[0][value]"), Is.EqualTo("TH-2026-000042"));
        Assert.That(await _app.ExternalTicketAsync(routed.TicketId), Is.EqualTo(("created", "77", 2L, (string?)null)));
    }

    [Test]
    public async Task Creates_no_second_ticket_when_the_connector_restarts_after_dying_while_GLPI_created_it()
    {
        var directory = ConnectorApp.NewDirectory();
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            // GLPI creates the ticket, and answers only once the connector that asked is gone.
            Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/Ticket").UsingPost())
                .RespondWith(WireMock.ResponseBuilders.Response.Create().WithCallback(async _ =>
                {
                    received.TrySetResult();
                    await answer.Task;
                    return FakeGlpi.Created(15);
                }));
            Glpi.ListsTickets((15, "TH-2026-000042"));
            var routed = TestTickets.Routed(reference: "TH-2026-000042");
            await RestartAsync(directory: directory, services: StopsConsumersAtOnce);
            await _harness.Bus.Publish(routed);
            await received.Task.WaitAsync(TimeSpan.FromSeconds(15));

            // The connector dies; the broker hands the unacknowledged message to the restarted one.
            await RestartAsync(directory: directory);
            Assert.That(await _app.ExternalTicketAsync(routed.TicketId), Is.EqualTo(("creating", (string?)null, 1L, (string?)null)),
                "the dead connector left its intent and nothing else");
            await _harness.Bus.Publish(routed);

            Assert.That((await PublishedAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("15"));
            answer.TrySetResult();
            await Eventually.TrueAsync(() => Glpi.Requests("POST", "/Ticket").Count > 0, "ticket posted to GLPI", seconds: 15);
            Assert.That(Glpi.Requests("POST", "/Ticket"), Has.Count.EqualTo(1), "the restarted connector posted nothing");
            Assert.That(Glpi.Requests("GET", "/search/Ticket"), Has.Count.EqualTo(1), "it looked the ticket up instead");
            Assert.That(await _app.ExternalTicketAsync(routed.TicketId), Is.EqualTo(("created", "15", 2L, (string?)null)));
        }
        finally
        {
            answer.TrySetResult();
            await _app.DisposeAsync();
            TicketHub.Testing.TempFolder.Delete(directory);
        }
    }

    [Test]
    public async Task Posts_the_ticket_when_the_unfinished_earlier_attempt_left_nothing_in_GLPI()
    {
        Glpi.ListsTickets((76, "TH-2026-0000420"));
        Glpi.CreatesTicket(99);
        var routed = TestTickets.Routed(reference: "TH-2026-000042");
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);

        await _harness.Bus.Publish(routed);

        Assert.That((await PublishedAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("99"));
        Assert.That(Glpi.Requests("POST", "/Ticket"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Retries_after_a_GLPI_server_error_and_creates_the_ticket_once()
    {
        Glpi.FailsThenCreatesTicket(500, 15);
        Glpi.ListsTickets();
        var routed = TestTickets.Routed();

        await _harness.Bus.Publish(routed);

        Assert.That((await PublishedAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("15"));
        Assert.That(Glpi.Requests("POST", "/Ticket"), Has.Count.EqualTo(2), "the failed POST is not retried by the HTTP client, the message is");
        Assert.That(Glpi.Requests("GET", "/search/Ticket"), Has.Count.EqualTo(1), "the second attempt first checks GLPI did not create it");
        Assert.That(_app.Logs.Lines, Has.Some.Contains("GLPI failed on ticket TH-2026-000042, will retry: HTTP 500"));
    }

    [Test]
    public async Task Waits_as_long_as_Retry_After_asks_after_a_429_then_creates_the_ticket_once()
    {
        Glpi.ThrottlesThenCreatesTicket(retryAfterSeconds: 2, id: 15);
        Glpi.ListsTickets();
        var routed = TestTickets.Routed();

        await _harness.Bus.Publish(routed);

        Assert.That((await PublishedAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("15"));
        var posts = InOrder(Glpi.Requests("POST", "/Ticket"));
        Assert.That(posts.Select(FakeGlpi.Status), Is.EqualTo(new[] { 429, 201 }), "one ticket created, by the second POST");
        var lookup = Glpi.Requests("GET", "/search/Ticket").Single();
        Assert.That(lookup.RequestMessage.DateTime - posts[0].RequestMessage.DateTime, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2) - ClockTolerance),
            "nothing is sent again before the 2 s Retry-After asked for");
        Assert.That(posts[1].RequestMessage.DateTime, Is.GreaterThan(lookup.RequestMessage.DateTime), "the next attempt looks the ticket up before posting it");
        Assert.That(_app.Logs.Lines, Has.Some.Contains("GLPI asked to wait before ticket TH-2026-000042 is sent again (Retry-After): waiting 2 s"));
    }

    [Test]
    public async Task Finds_the_ticket_a_timed_out_creation_made_and_posts_no_second_one()
    {
        // The connector gives up on GLPI after 2 s; GLPI creates the ticket but answers after 3 s.
        await RestartAsync(settings: new() { ["Glpi:Timeout"] = "00:00:02" });
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/Ticket").UsingPost())
            .RespondWith(FakeGlpi.Json(201, new JsonObject { ["id"] = 15, ["message"] = "" }).WithDelay(TimeSpan.FromSeconds(3)));
        // From then on, the lookup by reference finds it (only a retry looks the ticket up).
        Glpi.ListsTickets((15, "TH-2026-000042"));
        var routed = TestTickets.Routed(reference: "TH-2026-000042");
        // The session is opened first, so that the creation has the whole timeout to itself.
        await _app.Services.GetRequiredService<GlpiSessionProvider>().GetTokenAsync(CancellationToken.None);

        await _harness.Bus.Publish(routed);

        Assert.That((await PublishedAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("15"));
        // WireMock logs a request once it has answered it, however late.
        await Eventually.TrueAsync(() => Glpi.Requests("POST", "/Ticket").Count > 0, "ticket posted to GLPI", seconds: 15);
        var post = Glpi.Requests("POST", "/Ticket").Single();
        var lookup = Glpi.Requests("GET", "/search/Ticket").Single();
        Assert.That(lookup.RequestMessage.DateTime, Is.GreaterThan(post.RequestMessage.DateTime));
        Assert.That(_app.Logs.Lines, Has.Some.Contains("Ticket TH-2026-000042 was created in GLPI as 15 by an earlier attempt; reusing it"));
        Assert.That(await _app.ExternalTicketAsync(routed.TicketId), Is.EqualTo(("created", "15", 2L, (string?)null)), "two attempts, one GLPI ticket");
    }

    [Test]
    public async Task Reports_a_refusal_by_GLPI_with_its_error_code_and_message()
    {
        Glpi.RefusesTicket(400, "ERROR_GLPI_ADD", "You don't have permission to perform this action.");
        var routed = TestTickets.Routed();

        await _harness.Bus.Publish(routed);

        var failed = await PublishedAsync<TicketForwardingFailed>(routed.TicketId);
        Assert.That(failed.Tool, Is.EqualTo(ExternalTools.Glpi));
        Assert.That(failed.Reason, Is.EqualTo("GLPI a refusé le ticket (HTTP 400 ERROR_GLPI_ADD) : You don't have permission to perform this action."));
        Assert.That(Glpi.Requests("POST", "/Ticket"), Has.Count.EqualTo(1), "a refusal is not retried");
        Assert.That(_app.Logs.Lines, Has.Some.Contains("GLPI refused ticket TH-2026-000042: HTTP 400 ERROR_GLPI_ADD You don't have permission"));
        var row = await _app.ExternalTicketAsync(routed.TicketId);
        Assert.That(row?.State, Is.EqualTo("failed"));
        Assert.That(row?.LastError, Does.Contain("ERROR_GLPI_ADD"));
        Assert.That(_harness.Published.Select<TicketForwarded>().Any(), Is.False);
    }

    [Test]
    public async Task Tries_again_when_a_refused_ticket_is_routed_to_GLPI_anew()
    {
        Glpi.RefusesTicket(400, "ERROR_GLPI_ADD", "You don't have permission to perform this action.");
        var routed = TestTickets.Routed();
        await _harness.Bus.Publish(routed);
        await PublishedAsync<TicketForwardingFailed>(routed.TicketId);
        Glpi.Reset();
        Glpi.AcceptsLogin("session-1");
        Glpi.ListsTickets();
        Glpi.CreatesTicket(16);

        await _harness.Bus.Publish(routed with { Route = routed.Route with { Rule = "MANUAL" } });

        Assert.That((await PublishedAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("16"));
    }

    [Test]
    public async Task Leaves_tickets_routed_to_other_tools_alone()
    {
        var routed = TestTickets.Routed(tool: ExternalTools.Itop);

        await _harness.Bus.Publish(routed);

        Assert.That(await _harness.Consumed.Any<TicketRouted>(), Is.True);
        await _harness.InactivityTask;
        Assert.That(Glpi.Server.LogEntries, Is.Empty);
        Assert.That(await _app.ExternalTicketAsync(routed.TicketId), Is.Null);
    }

    [Test]
    public async Task Answers_its_liveness_probe()
    {
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>WireMock's clock and the connector's timers are not the same: allow for a little drift.</summary>
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMilliseconds(100);

    private static List<WireMock.Logging.ILogEntry> InOrder(IEnumerable<WireMock.Logging.ILogEntry> entries) =>
        [.. entries.OrderBy(entry => entry.RequestMessage.DateTime)];

    /// <summary>On stop, the connector cancels the consumers still at work after a second, as a dying process would leave them.</summary>
    private static void StopsConsumersAtOnce(IServiceCollection services) =>
        services.Configure<MassTransitHostOptions>(host => host.ConsumerStopTimeout = TimeSpan.FromSeconds(1));

    /// <summary>
    /// Stops the connector of this test and starts another: with <paramref name="settings"/> and
    /// <paramref name="services"/>, on the database in <paramref name="directory"/> (a new one if null).
    /// </summary>
    private async Task RestartAsync(Dictionary<string, string?>? settings = null, string? directory = null, Action<IServiceCollection>? services = null)
    {
        await _app.DisposeAsync();
        _app = new ConnectorApp(directory, settings, services);
        _harness = _app.Harness;
    }

    private async Task<T> PublishedAsync<T>(Guid ticketId)
        where T : class
    {
        var published = await _harness.Published.SelectAsync<T>(message => TicketIdOf(message.Context.Message) == ticketId).FirstOrDefault();
        Assert.That(published, Is.Not.Null, $"no {typeof(T).Name} was published for ticket {ticketId}");
        return published!.Context.Message;
    }

    private static Guid TicketIdOf(object message) => message switch
    {
        TicketForwarded forwarded => forwarded.TicketId,
        TicketForwardingFailed failed => failed.TicketId,
        _ => Guid.Empty,
    };
}
