using MassTransit.Testing;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Connectors.Glpi.Sync;
using TicketHub.Connectors.Shared.Sync;
using TicketHub.Contracts;
using WireMock.RequestBuilders;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>
/// GLPI's changes back to the hub: the connector searches GLPI (WireMock) for tickets changed since
/// its cursor and publishes ExternalTicketUpdated for the tickets it created.
/// </summary>
public sealed class GlpiStatusSyncTests
{
    /// <summary>When the hub created its tickets: 10:00 in Paris.</summary>
    private static readonly DateTimeOffset Created = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The first search starts 5 minutes (clock allowance) and 1 second (same-second changes) before.</summary>
    private const string FirstSearchFrom = "2026-11-20 09:54:59";

    private static FakeGlpi Glpi => GlpiServers.Glpi;

    private readonly List<ConnectorApp> _apps = [];
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        Glpi.Reset();
        Glpi.AcceptsLogin("session-1");
        Glpi.KnowsUsers(apiUserId: 7);
        _directory = ConnectorApp.NewDirectory();
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

    private ConnectorApp Start(Dictionary<string, string?>? settings = null)
    {
        var app = new ConnectorApp(_directory, settings ?? new() { ["Glpi:Sync:PageSize"] = "2" });
        _apps.Add(app);
        _ = app.Harness;
        return app;
    }

    [Test]
    public async Task Publishes_the_status_changes_found_across_two_pages_and_not_again_after_a_restart()
    {
        var app = Start();
        var printer = Guid.NewGuid();
        var wifi = Guid.NewGuid();
        var board = Guid.NewGuid();
        await app.HoldsTicketAsync(printer, "TH-2026-000015", 15, Created);
        await app.HoldsTicketAsync(wifi, "TH-2026-000016", 16, Created);
        await app.HoldsTicketAsync(board, "TH-2026-000017", 17, Created);
        Glpi.SearchFinds(pageSize: 2, serverTime: new DateTimeOffset(2026, 11, 20, 9, 8, 0, TimeSpan.Zero),
            FakeGlpi.Row(15, 2, "2026-11-20 10:05:00"),
            FakeGlpi.Row(99, 4, "2026-11-20 10:05:30"),
            FakeGlpi.Row(16, 1, "2026-11-20 10:06:00"),
            FakeGlpi.Row(17, 4, "2026-11-20 10:07:00"));

        var poll = await app.Sync.PollOnceAsync(CancellationToken.None);

        Assert.That(poll, Is.EqualTo(new SyncPoll(Searched: true, Pages: 2, Rows: 4, Updates: 2)));
        var updates = await PublishedAsync(app, count: 2);
        Assert.That(updates[0], Is.EqualTo(new ExternalTicketUpdated(
            printer, "TH-2026-000015", ExternalTools.Glpi, "15", HubStatuses.InProgress, "2", null, null, null,
            new DateTimeOffset(2026, 11, 20, 9, 5, 0, TimeSpan.Zero), "status:15:2026-11-20T09:05:00Z:2")));
        Assert.That(updates[1], Is.EqualTo(new ExternalTicketUpdated(
            board, "TH-2026-000017", ExternalTools.Glpi, "17", HubStatuses.Waiting, "4", null, null, null,
            new DateTimeOffset(2026, 11, 20, 9, 7, 0, TimeSpan.Zero), "status:17:2026-11-20T09:07:00Z:4")));
        var searches = Glpi.Requests("GET", "/search/Ticket");
        Assert.That(searches.Select(search => FakeGlpi.Query(search, "range")), Is.EqualTo(new[] { "0-1", "2-3" }));
        Assert.That(searches.Select(search => FakeGlpi.Query(search, "criteria[0][value]")), Is.All.EqualTo(FirstSearchFrom));
        Assert.That(await app.CursorAsync(), Is.EqualTo("2026-11-20 10:07:01"),
            "GLPI's clock said 10:08:00: the second of the newest row is older than the 30 s overlap, hence settled");

        // The connector restarts on its database; GLPI still shows the same rows.
        await app.DisposeAsync();
        _apps.Remove(app);
        Glpi.Server.ResetLogEntries();
        var restarted = Start();

        var again = await restarted.Sync.PollOnceAsync(CancellationToken.None);

        Assert.That(again.Updates, Is.Zero, "the same changes are not published twice");
        Assert.That(await restarted.UpdatesInOutboxAsync(), Is.EqualTo(2));
        Assert.That(FakeGlpi.Query(Glpi.Requests("GET", "/search/Ticket")[0], "criteria[0][value]"), Is.EqualTo("2026-11-20 10:07:00"),
            "the stored cursor (morethan is strict)");
    }

    [Test]
    public async Task Does_not_call_GLPI_while_it_holds_no_open_ticket()
    {
        var app = Start();

        var poll = await app.Sync.PollOnceAsync(CancellationToken.None);

        Assert.That(poll, Is.EqualTo(SyncPoll.NothingToFollow));
        Assert.That(Glpi.Server.LogEntries, Is.Empty);
    }

    [Test]
    public async Task A_technician_s_public_follow_up_becomes_a_reply_in_plain_text_with_its_author()
    {
        var app = Start();
        var ticket = Guid.NewGuid();
        await app.HoldsTicketAsync(ticket, "TH-2026-000015", 15, Created);
        Glpi.SearchFinds(pageSize: 2, FakeGlpi.Row(15, 1, "2026-11-20 10:04:00", followups: 1));
        // GLPI 10 returns rich text as it stores it: HTML-encoded.
        Glpi.HasFollowups(15, FakeGlpi.Followup(31, 15, userId: 5,
            "&lt;p&gt;Bonjour,&lt;/p&gt;&lt;p&gt;Je passe &lt;strong&gt;jeudi&lt;/strong&gt; à 14&amp;nbsp;h&lt;br&gt;avec un toner.&lt;/p&gt;", "2026-11-20 10:04:00"));

        await app.Sync.PollOnceAsync(CancellationToken.None);

        var reply = (await PublishedAsync(app, count: 1)).Single();
        Assert.That(reply, Is.EqualTo(new ExternalTicketUpdated(
            ticket, "TH-2026-000015", ExternalTools.Glpi, "15", null, null, "Bonjour,\n\nJe passe jeudi à 14 h\navec un toner.", "technician", "Marc Durand",
            new DateTimeOffset(2026, 11, 20, 9, 4, 0, TimeSpan.Zero), "followup:31")));
    }

    [Test]
    public async Task Keeps_private_follow_ups_to_the_technicians_and_reads_follow_ups_only_when_their_count_moves()
    {
        var app = Start();
        await app.HoldsTicketAsync(Guid.NewGuid(), "TH-2026-000015", 15, Created);
        Glpi.SearchFinds(pageSize: 2, FakeGlpi.Row(15, 1, "2026-11-20 10:04:00", followups: 1));
        Glpi.HasFollowups(15, FakeGlpi.Followup(32, 15, userId: 5, "<p>Voir avec le fournisseur, garantie expirée ?</p>", "2026-11-20 10:04:00", isPrivate: true));

        var first = await app.Sync.PollOnceAsync(CancellationToken.None);
        var second = await app.Sync.PollOnceAsync(CancellationToken.None);

        Assert.That(first.Updates + second.Updates, Is.Zero);
        Assert.That(await app.UpdatesInOutboxAsync(), Is.Zero);
        Assert.That(Glpi.Requests("GET", "/Ticket/15/ITILFollowup"), Has.Count.EqualTo(1), "the second poll sees the same count and reads nothing more");
    }

    [Test]
    public async Task A_solution_becomes_a_reply_before_the_resolved_status()
    {
        var app = Start();
        var ticket = Guid.NewGuid();
        await app.HoldsTicketAsync(ticket, "TH-2026-000015", 15, Created);
        Glpi.SearchFinds(pageSize: 2, FakeGlpi.Row(15, 5, "2026-11-20 10:30:00"));
        Glpi.HasSolutions(15, FakeGlpi.Solution(8, 15, userId: 5, "<p>Toner remplacé, l'imprimante fonctionne.</p>", "2026-11-20 10:30:00"));

        await app.Sync.PollOnceAsync(CancellationToken.None);

        var updates = await PublishedAsync(app, count: 2);
        Assert.That(updates[0], Is.EqualTo(new ExternalTicketUpdated(
            ticket, "TH-2026-000015", ExternalTools.Glpi, "15", null, null, "Toner remplacé, l'imprimante fonctionne.", "technician", "Marc Durand",
            new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero), "solution:8")));
        Assert.That(updates[1].Status, Is.EqualTo(HubStatuses.Resolved));
        Assert.That(updates[1].ExternalStatus, Is.EqualTo("5"));
    }

    [Test]
    public async Task Never_sends_back_the_follow_ups_the_hub_wrote_itself()
    {
        var app = Start();
        var ticket = Guid.NewGuid();
        await app.HoldsTicketAsync(ticket, "TH-2026-000015", 15, Created);
        Glpi.AcceptsFollowups(firstId: 40);
        var harness = app.Harness;
        await harness.Bus.Publish(new TicketCommentAdded(ticket, "TH-2026-000015", Guid.NewGuid(), "Le toner est dans l'armoire.", "Claire Martin",
            Created.AddMinutes(10), ExternalTools.Glpi, "15"));
        Assert.That(await harness.Consumed.Any<TicketCommentAdded>(), Is.True);
        Glpi.SearchFinds(pageSize: 2, FakeGlpi.Row(15, 1, "2026-11-20 10:12:00", followups: 3));
        Glpi.HasFollowups(15,
            FakeGlpi.Followup(40, 15, userId: 7, "<p><strong>Message du collège (Claire Martin)</strong> : Le toner est dans l&#39;armoire.</p>", "2026-11-20 10:10:00"),
            FakeGlpi.Followup(41, 15, userId: 7, "<p>Demande réorientée par le Pôle TIE…</p>", "2026-11-20 10:11:00"),
            FakeGlpi.Followup(42, 15, userId: 5, "<p>Merci, je le prends jeudi.</p>", "2026-11-20 10:12:00"));

        await app.Sync.PollOnceAsync(CancellationToken.None);

        var reply = (await PublishedAsync(app, count: 1)).Single();
        Assert.That(reply.ReplyText, Is.EqualTo("Merci, je le prends jeudi."));
        Assert.That(reply.ExternalEventId, Is.EqualTo("followup:42"));
        Assert.That(await app.UpdatesInOutboxAsync(), Is.EqualTo(1),
            "40 is the comment the hub posted (recorded), 41 was written by the API account (getFullSession)");
    }

    [Test]
    public async Task Keeps_polling_while_GLPI_is_down_and_catches_up_from_the_same_cursor()
    {
        var app = Start(new()
        {
            ["Glpi:Sync:Enabled"] = "true",
            ["Glpi:Sync:Interval"] = "00:00:01",
            ["Glpi:Sync:MaxBackoff"] = "00:00:02",
        });
        var ticket = Guid.NewGuid();
        await app.HoldsTicketAsync(ticket, "TH-2026-000015", 15, Created);
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/Ticket").UsingGet())
            .RespondWith(FakeGlpi.Error(503, "ERROR", "Service Unavailable").WithHeader("Retry-After", "0"));
        await Eventually.TrueAsync(() => app.Logs.Lines.Any(line => line.Contains("GLPI status sync failed (1 in a row)", StringComparison.Ordinal)), "failure logged", seconds: 30);

        Glpi.Server.ResetMappings();
        Glpi.AcceptsLogin("session-1");
        Glpi.KnowsUsers();
        Glpi.SearchFinds(pageSize: 100, FakeGlpi.Row(15, 2, "2026-11-20 10:05:00"));

        var update = (await PublishedAsync(app, count: 1)).Single();
        Assert.That(update.Status, Is.EqualTo(HubStatuses.InProgress));
        await Eventually.TrueAsync(() => app.Logs.Lines.Any(line => line.Contains("GLPI status sync works again", StringComparison.Ordinal)), "recovery logged", seconds: 30);
        Assert.That(Glpi.Requests("GET", "/search/Ticket").Select(search => FakeGlpi.Query(search, "criteria[0][value]")).Distinct().First(),
            Is.EqualTo(FirstSearchFrom), "failed polls leave the cursor where it was");
    }

    [Test]
    public void Backs_off_from_the_interval_doubling_up_to_the_maximum()
    {
        var settings = new GlpiSyncOptions { Interval = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromMinutes(1) };
        var schedule = new PollingSchedule(settings.Interval, settings.MaxBackoff);

        var waits = Enumerable.Range(1, 5).Select(schedule.WaitAfter);

        Assert.That(waits, Is.EqualTo(new[] { 10, 20, 40, 60, 60 }.Select(seconds => TimeSpan.FromSeconds(seconds))));
    }

    /// <summary>
    /// The first <paramref name="count"/> ExternalTicketUpdated the connector published, in order,
    /// waiting for them as they come (the harness gives up after its inactivity timeout).
    /// </summary>
    private static async Task<List<ExternalTicketUpdated>> PublishedAsync(ConnectorApp app, int count)
    {
        var updates = new List<ExternalTicketUpdated>();
        await foreach (var published in app.Harness.Published.SelectAsync<ExternalTicketUpdated>())
        {
            updates.Add(published.Context.Message);
            if (updates.Count == count)
            {
                break;
            }
        }

        Assert.That(updates, Has.Count.EqualTo(count), "the connector published fewer updates than expected");
        return updates;
    }
}
