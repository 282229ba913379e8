using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;
using TicketHub.Sandbox.Glpi;

namespace TicketHub.Sandbox.Tests;

/// <summary>
/// Measures the GLPI status sync against the emulated GLPI with its default settings (a search every
/// 10 s, pages of 100): how long a change in GLPI takes to be published to the hub, and how many
/// calls the connector makes per minute. Takes about seven minutes, so it runs only when asked:
/// <c>dotnet test tests/TicketHub.Sandbox.Tests --filter TestCategory=Performance --logger "console;verbosity=detailed"</c>.
/// Figures are recorded in docs/performance.md ("Status sync: GLPI").
/// </summary>
[Explicit("Measurement, about eight minutes: run by hand")]
[Category("Performance")]
public sealed class StatusSyncPerformanceTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private SandboxApp _sandbox = null!;
    private GlpiConnectorApp _connector = null!;
    private CallCounter _calls = null!;
    private PublishedTimes _published = null!;

    [SetUp]
    public async Task SetUp()
    {
        _sandbox = new SandboxApp();
        _calls = new CallCounter();
        _connector = new GlpiConnectorApp(_sandbox, new() { ["Glpi:Sync:Enabled"] = "true" }, _calls.Wrap);
        _published = new PublishedTimes();
        var harness = _connector.Services.GetTestHarness();
        await harness.Start();
        harness.Bus.ConnectPublishObserver(_published);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _connector.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Test]
    public async Task Measures_status_sync_lag_and_calls_per_minute()
    {
        var store = _sandbox.Services.GetRequiredService<GlpiStore>();
        Report("machine: {0} cores, .NET {1}, sync interval 10 s (default), page size 100", Environment.ProcessorCount, Environment.Version);

        await Task.Delay(TimeSpan.FromSeconds(12));
        _calls.Reset();
        await Task.Delay(Window);
        Report("idle, nothing to follow: {0} calls in {1} s {2}", _calls.Total, Window.TotalSeconds, _calls.ByPath());

        await SeedAsync(store, 1);
        await Task.Delay(TimeSpan.FromSeconds(12));
        _calls.Reset();
        await Task.Delay(Window);
        Report("idle, 1 open ticket: {0} calls in {1} s {2}", _calls.Total, Window.TotalSeconds, _calls.ByPath());

        var lags = new List<double>();
        var random = new Random(42);
        for (var i = 0; i < 12; i++)
        {
            // Changes land anywhere in the polling cycle.
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 10_000)));
            var status = i % 2 == 0 ? GlpiStatus.Waiting : GlpiStatus.Assigned;
            Now();
            var changed = store.UpdateTicket(1, GlpiUsers.Technician, ticket => ticket with { Status = status })!;
            var started = Stopwatch.GetTimestamp();
            var eventId = $"status:1:{changed.DateMod.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}:{changed.Status}";
            while (!_published.Contains(eventId))
            {
                Assert.That(Stopwatch.GetElapsedTime(started), Is.LessThan(TimeSpan.FromMinutes(2)), $"{eventId} never published");
                await Task.Delay(10);
            }

            lags.Add((_published.At(eventId) - started) * 1000.0 / Stopwatch.Frequency);
        }

        lags.Sort();
        Report("lag, change in GLPI → ExternalTicketUpdated published, {0} changes: min {1:F2} s, median {2:F2} s, mean {3:F2} s, max {4:F2} s",
            lags.Count, lags[0] / 1000, Median(lags) / 1000, lags.Average() / 1000, lags[^1] / 1000);
        Report("lags (s): {0}", string.Join(" ", lags.Select(lag => (lag / 1000).ToString("F2", CultureInfo.InvariantCulture))));

        _calls.Reset();
        await SeedAsync(store, 999);
        await Task.Delay(Window);
        Report("999 tickets created in GLPI at once, the minute after: {0} calls {1}", _calls.Total, _calls.ByPath());
        _calls.Reset();
        await Task.Delay(Window);
        Report("1,000 open tickets, no change: {0} calls in {1} s {2}", _calls.Total, Window.TotalSeconds, _calls.ByPath());

        _calls.Reset();
        var published = _published.Count;
        var busy = Stopwatch.StartNew();
        var changes = 0;
        while (busy.Elapsed < Window)
        {
            // About 100 changes a minute over the 1,000 tickets: a status every other time, else a public follow-up.
            for (var i = 0; i < 17; i++, changes++)
            {
                var id = random.Next(1, 1001);
                Now();
                if (changes % 2 == 0)
                {
                    store.UpdateTicket(id, GlpiUsers.Technician, ticket => ticket with { Status = ticket.Status == GlpiStatus.Assigned ? GlpiStatus.Waiting : GlpiStatus.Assigned });
                }
                else
                {
                    store.AddFollowup(id, GlpiUsers.Technician, $"<p>Intervention {changes}</p>", isPrivate: false);
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(10));
        }

        Report("1,000 open tickets, {0} changes in {1:F0} s: {2} calls {3}, {4} updates published",
            changes, busy.Elapsed.TotalSeconds, _calls.Total, _calls.ByPath(), _published.Count - published);
    }

    /// <summary>The emulated GLPI's clock follows the real one: date_mod is the time of the change.</summary>
    private void Now() => _sandbox.Clock.Now = DateTimeOffset.UtcNow;

    /// <summary>Adds tickets to GLPI and records them as the hub's, as the forwarder would.</summary>
    private async Task SeedAsync(GlpiStore store, int count)
    {
        await using var connection = new SqliteConnection(_connector.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < count; i++)
        {
            Now();
            var ticket = store.AddTicket((id, now) => new GlpiTicketRecord
            {
                Id = id,
                EntityId = 12,
                Name = $"Ticket {id}",
                Content = "<p>c</p>",
                ExternalId = $"TH-PERF-{id:D6}",
                RecipientUserId = GlpiUsers.ApiAccount,
                LastUpdaterUserId = GlpiUsers.ApiAccount,
                Date = now,
                DateMod = now,
            });
            await using var command = connection.CreateCommand();
            command.Transaction = (SqliteTransaction)transaction;
            command.CommandText = """
                INSERT INTO external_tickets (ticket_id, reference, external_id, state, attempts, created_at, updated_at, glpi_status, followup_count)
                VALUES ($id, $reference, $glpiId, 'created', 1, $at, $at, 1, 0)
                """;
            command.Parameters.AddWithValue("$id", Guid.NewGuid().ToString("D"));
            command.Parameters.AddWithValue("$reference", ticket.ExternalId);
            command.Parameters.AddWithValue("$glpiId", ticket.Id.ToString(CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static void Report(string format, params object[] values) =>
        TestContext.Progress.WriteLine("[perf] " + string.Format(CultureInfo.InvariantCulture, format, values));

    /// <summary>Counts the connector's requests to GLPI, by resource, whichever client and handler sent them.</summary>
    private sealed class CallCounter
    {
        private readonly ConcurrentDictionary<string, int> _byPath = new();

        public int Total => _byPath.Values.Sum();

        public void Reset() => _byPath.Clear();

        public string ByPath() =>
            "(" + string.Join(", ", _byPath.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key}: {pair.Value}")) + ")";

        /// <summary>A handler for one client's chain (the factory builds one per client and renews them).</summary>
        public HttpMessageHandler Wrap(HttpMessageHandler inner) => new Counting(this) { InnerHandler = inner };

        private void Count(HttpRequestMessage request)
        {
            // /glpi/apirest.php/Ticket/12/ITILFollowup → Ticket/{id}/ITILFollowup
            var path = request.RequestUri!.AbsolutePath["/glpi/apirest.php/".Length..];
            var resource = string.Join('/', path.Split('/').Select(part => part.All(char.IsAsciiDigit) ? "{id}" : part));
            _byPath.AddOrUpdate($"{request.Method} {resource}", 1, (_, count) => count + 1);
        }

        private sealed class Counting(CallCounter counter) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                counter.Count(request);
                return base.SendAsync(request, cancellationToken);
            }
        }
    }

    /// <summary>When each ExternalTicketUpdated was published (after the broker, here the harness, took it).</summary>
    private sealed class PublishedTimes : IPublishObserver
    {
        private readonly ConcurrentDictionary<string, long> _times = new();

        public int Count => _times.Count;

        public bool Contains(string eventId) => _times.ContainsKey(eventId);

        public long At(string eventId) => _times[eventId];

        public Task PrePublish<T>(PublishContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostPublish<T>(PublishContext<T> context)
            where T : class
        {
            if (context.Message is ExternalTicketUpdated update)
            {
                _times.TryAdd(update.ExternalEventId, Stopwatch.GetTimestamp());
            }

            return Task.CompletedTask;
        }

        public Task PublishFault<T>(PublishContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}
