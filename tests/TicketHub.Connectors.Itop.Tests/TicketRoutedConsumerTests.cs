using System.Net;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;
using WireMock.ResponseBuilders;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>The whole connector: a TicketRouted on the bus, iTop (WireMock) answering, events out of the outbox.</summary>
public sealed class TicketRoutedConsumerTests
{
    private static FakeItop Itop => ItopServers.Itop;

    private ConnectorApp _app = null!;
    private ITestHarness _harness = null!;

    [SetUp]
    public async Task SetUp()
    {
        Itop.Reset();
        _app = new ConnectorApp();
        _harness = _app.Services.GetTestHarness();
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    [Test]
    public async Task Creates_the_request_in_iTop_and_announces_it_with_its_key_and_link()
    {
        Itop.CreatesRequest(15);
        var routed = TestTickets.Routed();

        await _harness.Bus.Publish(routed);

        var forwarded = await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId);
        Assert.That(forwarded.Reference, Is.EqualTo(routed.Reference));
        Assert.That(forwarded.Tool, Is.EqualTo(ExternalTools.Itop));
        Assert.That(forwarded.ExternalId, Is.EqualTo("15"));
        Assert.That(forwarded.ExternalUrl, Is.EqualTo("https://itop.example/pages/UI.php?operation=details&class=UserRequest&id=15"));
        Assert.That(Itop.Requests("core/create"), Has.Count.EqualTo(1));
        Assert.That(Itop.Requests("core/get").Where(IsLookup), Is.Empty, "a first attempt has nothing to look up");
        var row = await _app.ExternalTicketAsync(routed.TicketId);
        Assert.That(row, Is.EqualTo(new ExternalTicketRow("created", 15, 1, null, "new", "2024-11-20 10:15:03", 0, Moved: false, Closed: false)));
    }

    [Test]
    public async Task Creates_the_request_once_when_the_message_is_delivered_twice()
    {
        Itop.CreatesRequest(15);
        var routed = TestTickets.Routed();
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);
        await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId);
        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);

        await Eventually.TrueAsync(() => _app.Logs.Lines.Any(line => line.Contains("Ticket TH-2026-000042 already delivered to iTop as 15; nothing to do", StringComparison.Ordinal)),
            "the second delivery was recognised");
        Assert.That(Itop.Requests("core/create"), Has.Count.EqualTo(1));
        Assert.That(_harness.Published.Select<TicketForwarded>().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Retries_after_a_server_error_looking_the_request_up_before_creating_it_again()
    {
        Itop.FailsThenCreatesRequest(500, 15);
        Itop.Finds();
        var routed = TestTickets.Routed();

        await _harness.Bus.Publish(routed);

        Assert.That((await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("15"));
        Assert.That(Itop.Requests("core/create"), Has.Count.EqualTo(2), "the failed create is not re-sent by the HTTP client; the message is retried");
        var lookup = Itop.Requests("core/get").Where(IsLookup).Single();
        Assert.That(FakeItop.Oql(lookup), Is.EqualTo("SELECT Ticket WHERE description LIKE '%[TH-2026-000042]%' AND start_date >= '2024-11-20 09:15:00'"),
            "tickets started since the hub received it (09:15 UTC, 10:15 in Paris) less an hour");
        Assert.That(_app.Logs.Lines, Has.Some.Contains("iTop failed on ticket TH-2026-000042, will retry: ApiException"));
        Assert.That((await _app.ExternalTicketAsync(routed.TicketId))?.Attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task Waits_as_long_as_Retry_After_asks_after_a_429_then_creates_the_request_once()
    {
        Itop.ThrottlesThenCreatesRequest(retryAfterSeconds: 2, key: 15);
        Itop.Finds();
        var routed = TestTickets.Routed();

        await _harness.Bus.Publish(routed);

        Assert.That((await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("15"));
        var creates = InOrder(Itop.Requests("core/create"));
        Assert.That(creates.Select(FakeItop.Status), Is.EqualTo(new[] { 429, 200 }), "one request created, by the second core/create");
        var lookup = Itop.Requests("core/get").Where(IsLookup).Single();
        Assert.That(lookup.RequestMessage.DateTime - creates[0].RequestMessage.DateTime, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2) - ClockTolerance),
            "nothing is sent again before the 2 s Retry-After asked for");
        Assert.That(creates[1].RequestMessage.DateTime, Is.GreaterThan(lookup.RequestMessage.DateTime), "the next attempt looks the request up before creating it");
        Assert.That(_app.Logs.Lines, Has.Some.Contains("iTop asked to wait before ticket TH-2026-000042 is sent again (Retry-After): waiting 2 s"));
        Assert.That((await _app.ExternalTicketAsync(routed.TicketId))?.Attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task Finds_the_request_a_timed_out_creation_made_and_creates_no_second_one()
    {
        // iTop creates the request but answers after the connector gave up (Itop:Timeout is 2 s here);
        // from then on, the lookup by reference finds it.
        var routed = TestTickets.Routed();
        var created = FakeItop.CreatedAnswer(15);
        Itop.Server.Given(FakeItop.Call("core/create")).InScenario("slow").WillSetStateTo("created")
            .RespondWith(FakeItop.Json(created).WithDelay(TimeSpan.FromSeconds(2.5)));
        Itop.Server.Given(FakeItop.CallOnTickets("core/get")).InScenario("slow").WhenStateIs("created")
            .RespondWith(FakeItop.Json(FakeItop.Found(FakeItop.UserRequest(15, description: Description(routed)))));

        await _harness.Bus.Publish(routed);

        Assert.That((await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("15"));
        Assert.That(Itop.Requests("core/create"), Has.Count.EqualTo(1), "no second request in iTop");
        Assert.That(_app.Logs.Lines, Has.Some.Contains("Ticket TH-2026-000042 was created in iTop as UserRequest::15 by an earlier attempt; reusing it"));
        var row = await _app.ExternalTicketAsync(routed.TicketId);
        Assert.That(row?.ItopStatus, Is.Null, "found, not created: the sync publishes where it stands");
        Assert.That(row?.ItopLastUpdate, Is.Null);
    }

    [Test]
    public async Task Reuses_the_request_an_attempt_that_died_after_creating_it_left_behind()
    {
        var routed = TestTickets.Routed();
        Itop.Finds(
            FakeItop.UserRequest(76, description: Description(routed with { Reference = "TH-2026-0000420" })),
            FakeItop.UserRequest(77, description: Description(routed)));
        Itop.CreatesRequest(99);
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);

        await _harness.Bus.Publish(routed);

        var forwarded = await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId);
        Assert.That(forwarded.ExternalId, Is.EqualTo("77"));
        Assert.That(Itop.Requests("core/create"), Is.Empty);
        Assert.That((await _app.ExternalTicketAsync(routed.TicketId))?.State, Is.EqualTo("created"));
    }

    [Test]
    public async Task Creates_no_second_request_when_the_connector_restarts_after_dying_while_iTop_created_it()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tickethub-tests", "connectors-itop-" + Guid.NewGuid().ToString("N"));
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            // iTop creates the request, and answers only once the connector that asked is gone.
            Itop.Server.Given(FakeItop.Call("core/create")).RespondWith(WireMock.ResponseBuilders.Response.Create().WithCallback(async _ =>
            {
                received.TrySetResult();
                await answer.Task;
                return FakeItop.Created(15);
            }));
            var routed = TestTickets.Routed();
            Itop.Finds(FakeItop.UserRequest(15, description: Description(routed)));
            await RestartAsync(directory, StopsConsumersAtOnce);
            await _harness.Bus.Publish(routed);
            await received.Task.WaitAsync(TimeSpan.FromSeconds(15));

            // The connector dies; the broker hands the unacknowledged message to the restarted one.
            await RestartAsync(directory);
            Assert.That((await _app.ExternalTicketAsync(routed.TicketId))?.State, Is.EqualTo("creating"), "the dead connector left its intent and nothing else");
            await _harness.Bus.Publish(routed);

            Assert.That((await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("15"));
            answer.TrySetResult();
            await Eventually.TrueAsync(() => Itop.Requests("core/create").Count > 0, "iTop answered the first creation");
            Assert.That(Itop.Requests("core/create"), Has.Count.EqualTo(1), "the restarted connector created nothing");
            Assert.That(Itop.Requests("core/get").Where(IsLookup).Count(), Is.EqualTo(1), "it looked the request up instead");
            var row = await _app.ExternalTicketAsync(routed.TicketId);
            Assert.That((row?.State, row?.ItopId, row?.Attempts), Is.EqualTo(("created", (int?)15, (long?)2)));
        }
        finally
        {
            answer.TrySetResult();
            await _app.DisposeAsync();
            TicketHub.Testing.TempFolder.Delete(directory);
        }
    }

    [Test]
    public async Task Creates_the_request_when_the_dead_attempt_left_nothing_in_iTop()
    {
        var routed = TestTickets.Routed();
        // A LIKE also matches what differs only by a wildcard: the connector checks the match itself.
        Itop.Finds(FakeItop.UserRequest(76, description: Description(routed with { Reference = "TH-2026_000042" })));
        Itop.CreatesRequest(99);
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);

        await _harness.Bus.Publish(routed);

        Assert.That((await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("99"));
        Assert.That(Itop.Requests("core/create"), Has.Count.EqualTo(1));
    }

    /// <summary>A reinstalled (or test) hub numbers its tickets from 1 again: the reference alone is not enough, the id decides.</summary>
    [TestCase(true, "77", 0, TestName = "Recognises its own ticket by the id beside the reference")]
    [TestCase(false, "99", 1, TestName = "Never takes the ticket another hub created with the same reference for its own")]
    public async Task Tells_its_ticket_by_the_id_beside_the_reference(bool ownId, string expected, int creations)
    {
        var routed = TestTickets.Routed();
        var id = ownId ? routed.TicketId : Guid.NewGuid();
        Itop.Finds(FakeItop.UserRequest(77, description: $"<p>référence TicketHub <strong>[{routed.Reference}]</strong> (identifiant {id:D}).</p>"));
        Itop.CreatesRequest(99);
        await _app.RecordUnfinishedAttemptAsync(routed.TicketId, routed.Reference);

        await _harness.Bus.Publish(routed);

        Assert.That((await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo(expected));
        Assert.That(Itop.Requests("core/create"), Has.Count.EqualTo(creations));
    }

    [TestCase(1, "Error: Invalid login")]
    [TestCase(1, "The current user does not have enough permissions for creating data of class UserRequest")]
    [TestCase(100, "Error: org_id: Invalid object Organization::12")]
    public async Task Reports_iTop_refusal_in_an_HTTP_200_answer_with_its_code_and_message(int code, string message)
    {
        Itop.Fails("core/create", code, message);
        var routed = TestTickets.Routed();

        await _harness.Bus.Publish(routed);

        var failed = await _harness.PublishedForAsync<TicketForwardingFailed>(routed.TicketId);
        Assert.That(failed.Tool, Is.EqualTo(ExternalTools.Itop));
        Assert.That(failed.Reason, Is.EqualTo($"iTop a refusé la demande (code {code}) : {message}"));
        Assert.That(Itop.Requests("core/create"), Has.Count.EqualTo(1), "a refusal is not retried");
        Assert.That(_app.Logs.Lines, Has.Some.Contains($"iTop refused ticket TH-2026-000042: code {code} {message}"));
        var row = await _app.ExternalTicketAsync(routed.TicketId);
        Assert.That(row?.State, Is.EqualTo("failed"));
        Assert.That(row?.LastError, Does.Contain(message));
        Assert.That(_harness.Published.Select<TicketForwarded>().Any(), Is.False);
    }

    [Test]
    public async Task Tries_again_when_a_refused_ticket_is_routed_to_iTop_anew()
    {
        Itop.Fails("core/create", 100, "Error: org_id: Invalid object Organization::12");
        var routed = TestTickets.Routed();
        await _harness.Bus.Publish(routed);
        await _harness.PublishedForAsync<TicketForwardingFailed>(routed.TicketId);
        Itop.Reset();
        Itop.Finds();
        Itop.CreatesRequest(16);

        await _harness.Bus.Publish(routed with { Route = routed.Route with { Rule = TicketRerouted.ManualRule } });

        Assert.That((await _harness.PublishedForAsync<TicketForwarded>(routed.TicketId)).ExternalId, Is.EqualTo("16"));
    }

    [Test]
    public async Task Leaves_tickets_routed_to_other_tools_alone()
    {
        var routed = TestTickets.Routed(tool: ExternalTools.Glpi);

        await _harness.Bus.Publish(routed);

        Assert.That(await _harness.Consumed.Any<TicketRouted>(), Is.True);
        await _harness.InactivityTask;
        Assert.That(Itop.Server.LogEntries, Is.Empty);
        Assert.That(await _app.ExternalTicketAsync(routed.TicketId), Is.Null);
    }

    [Test]
    public async Task Answers_its_liveness_probe()
    {
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>On stop, the connector cancels the consumers still at work after a second, as a dying process would leave them.</summary>
    private static void StopsConsumersAtOnce(IServiceCollection services) =>
        services.Configure<MassTransitHostOptions>(host => host.ConsumerStopTimeout = TimeSpan.FromSeconds(1));

    /// <summary>Stops the connector of this test and starts another on the database in <paramref name="directory"/>.</summary>
    private async Task RestartAsync(string directory, Action<IServiceCollection>? services = null)
    {
        await _app.DisposeAsync();
        _app = new ConnectorApp(directory: directory, services: services);
        _harness = _app.Services.GetTestHarness();
    }

    /// <summary>WireMock's clock and the connector's timers are not the same: allow for a little drift.</summary>
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMilliseconds(100);

    private static List<WireMock.Logging.ILogEntry> InOrder(IEnumerable<WireMock.Logging.ILogEntry> entries) =>
        [.. entries.OrderBy(entry => entry.RequestMessage.DateTime)];

    /// <summary>The description's first line, as the connector writes it for <paramref name="routed"/>.</summary>
    private static string Description(TicketRouted routed) =>
        $"<p>Demande transmise par TicketHub, référence TicketHub <strong>[{routed.Reference}]</strong> (identifiant {routed.TicketId:D}).</p>";

    private static bool IsLookup(WireMock.Logging.ILogEntry entry) => FakeItop.Oql(entry).Contains("description LIKE", StringComparison.Ordinal);
}
