using System.Net;
using MassTransit;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>The whole connector: a TicketRouted on the bus, GLPI (WireMock) answering, events out of the outbox.</summary>
public sealed class TicketRoutedConsumerTests
{
    private static FakeGlpi Glpi => GlpiServers.Glpi;

    private ConnectorApp _app = null!;
    private ITestHarness _harness = null!;

    [SetUp]
    public async Task SetUp()
    {
        Glpi.Reset();
        Glpi.AcceptsLogin("session-1");
        _app = new ConnectorApp();
        _harness = _app.Services.GetTestHarness();
        await _harness.Start();
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
        Assert.That(Glpi.Requests("GET", "/Ticket"), Is.Empty, "a first attempt has nothing to look up");
        Assert.That(await _app.ExternalTicketAsync(routed.TicketId), Is.EqualTo(("created", "15", 1L, (string?)null)));
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

        await EventuallyAsync(() => _app.Logs.Lines.Any(line => line.Contains("Ticket TH-2026-000042 already exists in GLPI as 15; nothing to do", StringComparison.Ordinal)));
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
        var lookup = Glpi.Requests("GET", "/Ticket").Single();
        Assert.That(FakeGlpi.Query(lookup, "searchText[externalid]"), Is.EqualTo("TH-2026-000042"));
        Assert.That(await _app.ExternalTicketAsync(routed.TicketId), Is.EqualTo(("created", "77", 2L, (string?)null)));
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
        Assert.That(Glpi.Requests("GET", "/Ticket"), Has.Count.EqualTo(1), "the second attempt first checks GLPI did not create it");
        Assert.That(_app.Logs.Lines, Has.Some.Contains("GLPI failed on ticket TH-2026-000042, will retry: HTTP 500"));
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

    private async Task<T> PublishedAsync<T>(Guid ticketId)
        where T : class
    {
        var published = await _harness.Published.SelectAsync<T>(message => TicketIdOf(message.Context.Message) == ticketId).FirstOrDefault();
        Assert.That(published, Is.Not.Null, $"no {typeof(T).Name} was published for ticket {ticketId}");
        return published!.Context.Message;
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += TimeSpan.FromMilliseconds(50))
        {
            Assert.That(waited, Is.LessThan(TimeSpan.FromSeconds(15)), "the condition never came true");
            await Task.Delay(50);
        }
    }

    private static Guid TicketIdOf(object message) => message switch
    {
        TicketForwarded forwarded => forwarded.TicketId,
        TicketForwardingFailed failed => failed.TicketId,
        _ => Guid.Empty,
    };
}
