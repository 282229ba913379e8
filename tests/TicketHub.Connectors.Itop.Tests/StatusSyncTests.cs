using System.Text.Json.Nodes;
using MassTransit.Testing;
using TicketHub.Contracts;
using WireMock.ResponseBuilders;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// The status and reply sync: iTop polled with OQL on last_update in Paris time, changes published
/// once, the cursor kept across restarts, the hub's own log entries never sent back.
/// </summary>
public sealed class StatusSyncTests
{
    private static FakeItop Itop => ItopServers.Itop;

    private readonly List<ConnectorApp> _apps = [];
    private string _directory = "";

    [SetUp]
    public void SetUp()
    {
        Itop.Reset();
        _directory = Path.Combine(Path.GetTempPath(), "tickethub-tests", "connectors-itop-sync-" + Guid.NewGuid().ToString("N"));
    }

    [TearDown]
    public async Task TearDown()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        TicketHub.Testing.TempFolder.Delete(_directory);
    }

    [Test]
    public async Task Publishes_a_status_change_once_with_iTop_local_time_read_as_Paris_time()
    {
        Itop.AnswersSearchesWith(FakeItop.Found(FakeItop.UserRequest(15, "assigned", "2024-11-20 11:00:00")));
        var (app, harness) = await StartAsync();
        var ticketId = Guid.NewGuid();

        await app.RecordCreatedAsync(ticketId, "TH-2026-000042", 15);

        var update = await UpdateAsync(harness, ticketId);
        Assert.That(update, Is.EqualTo(new ExternalTicketUpdated(
            ticketId, "TH-2026-000042", ExternalTools.Itop, "15", HubStatuses.InProgress, "assigned", null, null, null,
            new DateTimeOffset(2024, 11, 20, 10, 0, 0, TimeSpan.Zero), "status:15:2024-11-20 11:00:00:assigned")));
        await Eventually.TrueAsync(() => Itop.Requests("core/get").Count >= 4, "a few more polls");
        var polls = Itop.Requests("core/get").Select(FakeItop.Oql).ToList();
        Assert.That(polls[0], Is.EqualTo("SELECT UserRequest WHERE id IN (15)"), "no cursor yet: the followed requests are read whole");
        Assert.That(polls[^1], Is.EqualTo("SELECT UserRequest WHERE id IN (15) AND last_update >= '2024-11-20 10:59:50'"),
            "the cursor (10:00 UTC) less 10 s, in iTop's Paris time");
        Assert.That(FakeItop.JsonData(Itop.Requests("core/get")[0])["output_fields"]!.GetValue<string>(), Is.EqualTo("id,ref,status,last_update,solution,public_log"));
        Assert.That(harness.Published.Select<ExternalTicketUpdated>().Count(), Is.EqualTo(1));
        var row = await app.ExternalTicketAsync(ticketId);
        Assert.That((row?.ItopStatus, row?.ItopLastUpdate), Is.EqualTo(("assigned", "2024-11-20 11:00:00")));
        Assert.That(await app.SyncCursorAsync(), Is.EqualTo("2024-11-20T10:00:00.0000000Z"));
    }

    [Test]
    public async Task Carries_on_after_a_restart_from_the_stored_cursor_without_publishing_a_change_again()
    {
        var ticketId = Guid.NewGuid();
        Itop.AnswersSearchesWith(FakeItop.Found(FakeItop.UserRequest(15, "assigned", "2024-11-20 11:00:00")));
        var (first, firstHarness) = await StartAsync();
        await first.RecordCreatedAsync(ticketId, "TH-2026-000042", 15);
        await UpdateAsync(firstHarness, ticketId);
        var firstRun = firstHarness.Published.Select<ExternalTicketUpdated>().Select(message => message.Context.MessageId).ToHashSet();
        await first.DisposeAsync();
        _apps.Remove(first);
        Itop.Reset();
        Itop.AnswersSearchesWith(
            // Read again: it is within the overlap of the cursor. Already published, so not again.
            FakeItop.Found(FakeItop.UserRequest(15, "assigned", "2024-11-20 11:00:00")),
            FakeItop.Found(FakeItop.UserRequest(15, "pending", "2024-11-20 11:20:00",
                log: FakeItop.Entry("2024-11-20 11:19:30", "Technicien Infogérant", "5", "  J'attends la pièce de rechange.\n"))));

        var (second, secondHarness) = await StartAsync();

        // A message of the first run that was published but not yet marked sent when it stopped goes out
        // again with the same message id (at least once; the receiver's inbox drops it): only new
        // message ids are new changes.
        List<ExternalTicketUpdated> NewUpdates() => secondHarness.Published.Select<ExternalTicketUpdated>()
            .Where(message => !firstRun.Contains(message.Context.MessageId)).Select(message => message.Context.Message).ToList();
        await Eventually.TrueAsync(() => NewUpdates().Count >= 2, "the reply and the new status");
        Assert.That(FakeItop.Oql(Itop.Requests("core/get")[0]), Is.EqualTo("SELECT UserRequest WHERE id IN (15) AND last_update >= '2024-11-20 10:59:50'"),
            "the restarted connector starts from the stored cursor");
        var updates = NewUpdates();
        Assert.That(updates, Has.Count.EqualTo(2));
        Assert.That(updates[0], Is.EqualTo(new ExternalTicketUpdated(
            ticketId, "TH-2026-000042", ExternalTools.Itop, "15", null, null, "J'attends la pièce de rechange.", "technician", "Technicien Infogérant",
            new DateTimeOffset(2024, 11, 20, 10, 19, 30, TimeSpan.Zero), "log:15:0")));
        Assert.That((updates[1].Status, updates[1].ExternalStatus, updates[1].ExternalEventId),
            Is.EqualTo((HubStatuses.Waiting, "pending", "status:15:2024-11-20 11:20:00:pending")));
        Assert.That((await second.ExternalTicketAsync(ticketId))?.LogEntries, Is.EqualTo(1));
    }

    [Test]
    public async Task Publishes_technician_replies_but_never_the_entries_the_hub_wrote()
    {
        var ticketId = Guid.NewGuid();
        Itop.AnswersSearchesWith(FakeItop.Found(FakeItop.UserRequest(15, "assigned", "2024-11-20 11:40:00",
            log:
            [
                FakeItop.Entry("2024-11-20 10:30:00", "Compte REST TicketHub", "3", "Message du collège (Claire Martin), via TicketHub :\nLe CDI aussi."),
                FakeItop.Entry("2024-11-20 11:00:00", "Technicien Infogérant", "5", "Je passe jeudi."),
                // Written by the hub's account but not recorded (a crash between iTop's answer and the commit).
                FakeItop.Entry("2024-11-20 11:10:00", "Compte REST TicketHub", "3", "Message du collège (Claire Martin), via TicketHub :\nMerci."),
                FakeItop.Entry("2024-11-20 11:40:00", "Technicien Infogérant", "5", "C'est réparé."),
            ])));
        var (app, harness) = await StartAsync();
        await app.RecordHubEntryAsync(ticketId, 0, "3");
        await app.RecordCreatedAsync(ticketId, "TH-2026-000042", 15, status: "assigned");

        await Eventually.TrueAsync(() => harness.Published.Select<ExternalTicketUpdated>().Count() >= 2, "the two replies");
        await Eventually.TrueAsync(() => Itop.Requests("core/get").Count >= 3, "a few more polls");

        var replies = harness.Published.Select<ExternalTicketUpdated>().Select(message => message.Context.Message).ToList();
        Assert.That(replies.Select(reply => (reply.ReplyText, reply.ExternalEventId)),
            Is.EqualTo(new[] { ("Je passe jeudi.", "log:15:1"), ("C'est réparé.", "log:15:3") }));
        Assert.That((await app.ExternalTicketAsync(ticketId))?.LogEntries, Is.EqualTo(4));
    }

    [Test]
    public async Task Sends_the_solution_with_the_resolved_status_and_stops_following_a_closed_request()
    {
        var ticketId = Guid.NewGuid();
        var solved = FakeItop.UserRequest(15, "resolved", "2024-11-20 12:00:00");
        solved["solution"] = "Toner remplacé.";
        Itop.AnswersSearchesWith(FakeItop.Found(solved), FakeItop.Found(FakeItop.UserRequest(15, "closed", "2024-11-21 09:00:00")));
        var (app, harness) = await StartAsync();
        await app.RecordCreatedAsync(ticketId, "TH-2026-000042", 15, status: "assigned");

        await Eventually.TrueAsync(() => harness.Published.Select<ExternalTicketUpdated>().Count() >= 2, "resolved, then closed");
        var updates = harness.Published.Select<ExternalTicketUpdated>().Select(message => message.Context.Message).ToList();
        Assert.That((updates[0].Status, updates[0].ReplyText, updates[0].AuthorRole), Is.EqualTo((HubStatuses.Resolved, "Toner remplacé.", "technician")));
        Assert.That(updates[1].Status, Is.EqualTo(HubStatuses.Closed));
        Assert.That((await app.ExternalTicketAsync(ticketId))?.Closed, Is.True);

        var other = Guid.NewGuid();
        await app.RecordCreatedAsync(other, "TH-2026-000043", 16);
        await Eventually.TrueAsync(() => Itop.Requests("core/get").Any(poll => FakeItop.Oql(poll).Contains("(16)", StringComparison.Ordinal)), "the other request is polled");
        var last = Itop.Requests("core/get").Select(FakeItop.Oql).Last();
        Assert.That(last, Does.StartWith("SELECT UserRequest WHERE id IN (16)"), "the closed request is no longer asked for");
    }

    [Test]
    public async Task Warns_once_about_a_status_the_mapping_does_not_know_and_publishes_nothing_for_it()
    {
        var ticketId = Guid.NewGuid();
        Itop.AnswersSearchesWith(
            FakeItop.Found(FakeItop.UserRequest(15, "waiting_for_customer", "2024-11-20 11:00:00")),
            FakeItop.Found(FakeItop.UserRequest(15, "waiting_for_customer", "2024-11-20 11:05:00")));
        var (app, harness) = await StartAsync();
        await app.RecordCreatedAsync(ticketId, "TH-2026-000042", 15);

        await Eventually.TrueAsync(() => Itop.Requests("core/get").Count >= 4, "both answers read");

        Assert.That(harness.Published.Select<ExternalTicketUpdated>().Any(), Is.False);
        Assert.That(app.Logs.Lines.Count(line => line.Contains("is in status 'waiting_for_customer', which Itop:StatusMapping does not map", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That((await app.ExternalTicketAsync(ticketId))?.ItopStatus, Is.EqualTo("waiting_for_customer"));
    }

    [Test]
    public async Task Reads_the_followed_requests_in_batches_and_publishes_the_changes_of_every_batch()
    {
        var settings = new Dictionary<string, string?> { ["Itop:Sync:BatchSize"] = "2" };
        var (first, _) = await StartAsync(settings);
        var tickets = new Dictionary<int, Guid> { [15] = Guid.NewGuid(), [16] = Guid.NewGuid(), [17] = Guid.NewGuid() };
        foreach (var (key, ticketId) in tickets)
        {
            await first.RecordCreatedAsync(ticketId, $"TH-2026-0000{key}", key);
        }

        // Started again on that database, the sync follows the three requests from its first poll.
        await first.DisposeAsync();
        _apps.Remove(first);
        Itop.Reset();
        var statuses = new Dictionary<int, string> { [15] = "assigned", [16] = "pending", [17] = "assigned" };
        Itop.Server.Given(FakeItop.Call("core/get")).RespondWith(FakeItop.JsonFrom(request =>
            FakeItop.Found([.. IdsIn(FakeItop.Oql(request)).Select(key => FakeItop.UserRequest(key, statuses[key], "2024-11-20 11:00:00"))])));
        var (_, harness) = await StartAsync(settings);

        await Eventually.TrueAsync(() => harness.Published.Select<ExternalTicketUpdated>().Count() >= 3, "a change for each of the three requests");

        var firstPoll = Itop.Requests("core/get").Take(2).Select(call => IdsIn(FakeItop.Oql(call))).ToList();
        Assert.That(firstPoll.Select(batch => batch.Count), Is.EquivalentTo(new[] { 2, 1 }), "two queries of at most 2 ids");
        Assert.That(firstPoll.SelectMany(batch => batch), Is.EquivalentTo(tickets.Keys));
        var updates = harness.Published.Select<ExternalTicketUpdated>().Select(message => message.Context.Message).ToList();
        Assert.That(updates.Select(update => (update.TicketId, update.Status)), Is.EquivalentTo(new[]
        {
            (tickets[15], HubStatuses.InProgress),
            (tickets[16], HubStatuses.Waiting),
            (tickets[17], HubStatuses.InProgress),
        }));
    }

    [Test]
    public async Task Keeps_polling_through_an_iTop_outage_and_loses_nothing()
    {
        var ticketId = Guid.NewGuid();
        // Each failed poll is one call and three quick retries (Retry-After: 0); two polls fail.
        for (var failure = 0; failure < 8; failure++)
        {
            var mapping = Itop.Server.Given(FakeItop.Call("core/get")).InScenario("outage");
            if (failure > 0)
            {
                mapping = mapping.WhenStateIs($"failed {failure}");
            }

            mapping.WillSetStateTo($"failed {failure + 1}")
                .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "0"));
        }

        Itop.Server.Given(FakeItop.Call("core/get")).InScenario("outage").WhenStateIs("failed 8")
            .RespondWith(FakeItop.Json(FakeItop.Found(FakeItop.UserRequest(15, "assigned", "2024-11-20 11:00:00"))));
        var (app, harness) = await StartAsync();
        await app.RecordCreatedAsync(ticketId, "TH-2026-000042", 15);

        Assert.That((await UpdateAsync(harness, ticketId)).Status, Is.EqualTo(HubStatuses.InProgress));
        Assert.That(Itop.Requests("core/get"), Has.Count.GreaterThanOrEqualTo(9));
        await Eventually.TrueAsync(() => app.Logs.Lines.Any(line => line.Contains("iTop sync works again after 2 failed poll(s)", StringComparison.Ordinal)), "recovery logged");
        Assert.That(app.Logs.Lines.Count(line => line.Contains("iTop sync failed", StringComparison.Ordinal)), Is.EqualTo(1), "one warning for the outage");
    }

    [Test]
    public async Task Makes_no_call_while_it_follows_no_request()
    {
        var (app, _) = await StartAsync();

        // The host has started and polled (the database exists); nothing to ask iTop.
        await app.SyncCursorAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.That(Itop.Server.LogEntries, Is.Empty);
    }

    /// <summary>The ids of <c>SELECT UserRequest WHERE id IN (15, 16)…</c>.</summary>
    private static List<int> IdsIn(string oql)
    {
        var start = oql.IndexOf("id IN (", StringComparison.Ordinal) + "id IN (".Length;
        return [.. oql[start..oql.IndexOf(')', start)].Split(", ").Select(id => int.Parse(id, System.Globalization.CultureInfo.InvariantCulture))];
    }

    private Task<(ConnectorApp App, ITestHarness Harness)> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var app = new ConnectorApp(settings, directory: _directory);
        _apps.Add(app);
        return Task.FromResult((app, app.Services.GetTestHarness()));
    }

    private static async Task<ExternalTicketUpdated> UpdateAsync(ITestHarness harness, Guid ticketId)
    {
        await Eventually.TrueAsync(() => harness.Published.Select<ExternalTicketUpdated>(message => message.Context.Message.TicketId == ticketId).Any(),
            "an ExternalTicketUpdated");
        return harness.Published.Select<ExternalTicketUpdated>(message => message.Context.Message.TicketId == ticketId).First().Context.Message;
    }
}
