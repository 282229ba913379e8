using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.EndToEnd.Tests.Infrastructure;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Replicas;

/// <summary>
/// What the whole hub sustains on this machine (issue 13), printed, never asserted: tickets submitted
/// through the gateway(s) at paced rates, then by 16 clients as fast as they can, every ticket routed
/// to the infogérant's GLPI (the sandbox's, in memory: not the bottleneck). For each configuration
/// (SQLite with one replica of each service; PostgreSQL with one; PostgreSQL with two, the gateway
/// included) it prints the accepted tickets per second, the HTTP acceptance time, submit → forwarded
/// at the 50th and 95th percentiles (intake's own history: received, then forwarded), the forwarded
/// tickets per second sustained, and the hub's resident memory. Everything on one 2-core machine with
/// the broker (three nodes), the database and the sandbox. Run by hand, the figures go to
/// <c>docs/performance.md</c>:
/// <c>dotnet test tests/TicketHub.EndToEnd.Tests -c Release --filter "FullyQualifiedName~HubBenchmark"</c>.
/// </summary>
[TestFixture]
[Category("Performance")]
public sealed class HubBenchmark
{
    private static readonly int[] Rates = [5, 20, 50];
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Saturation = TimeSpan.FromSeconds(10);
    private const int Clients = 16;

    [TestCase(DatabaseProvider.Sqlite, 1)]
    [TestCase(DatabaseProvider.PostgreSql, 1)]
    [TestCase(DatabaseProvider.PostgreSql, 2)]
    public async Task The_hub_through_its_gateway(DatabaseProvider provider, int replicas)
    {
        using var hub = await ReplicaHub.StartAsync("tickethub-benchmark", provider, replicas);
        var report = TestContext.Out;
        var label = $"{provider}, {replicas} replica{(replicas > 1 ? "s" : "")} of each service";
        var number = 0;

        // Warm-up: the first requests pay for JIT and connection pools.
        await PacedAsync(hub, 5, TimeSpan.FromSeconds(5), () => number++);
        foreach (var rate in Rates)
        {
            var (accepted, acceptance) = await PacedAsync(hub, rate, Step, () => number++);
            var delays = await SubmitToForwardedAsync(hub, accepted);
            report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: {rate}/s for {Step.TotalSeconds:F0} s: accepted {accepted.Count}, HTTP acceptance p50 {Percentile(acceptance, 0.5):F0} ms p95 {Percentile(acceptance, 0.95):F0} ms; "
                + $"submit → forwarded p50 {Percentile(delays, 0.5):F0} ms p95 {Percentile(delays, 0.95):F0} ms (of {delays.Count})"));
        }

        var (burst, burstAcceptance) = await SaturateAsync(hub, () => Interlocked.Increment(ref number));
        var forwarded = await SubmitToForwardedAsync(hub, burst);
        var window = await SpanAsync(hub, burst);
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {Clients} clients for {Saturation.TotalSeconds:F0} s: accepted {burst.Count / Saturation.TotalSeconds:F0}/s (HTTP p50 {Percentile(burstAcceptance, 0.5):F0} ms p95 {Percentile(burstAcceptance, 0.95):F0} ms); "
            + $"forwarded {forwarded.Count} in {window.TotalSeconds:F1} s from the first acceptance: {forwarded.Count / Math.Max(window.TotalSeconds, 0.001):F0}/s; "
            + $"submit → forwarded p50 {Percentile(forwarded, 0.5):F0} ms p95 {Percentile(forwarded, 0.95):F0} ms"));
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: hub resident memory {hub.ResidentBytes() / 1024.0 / 1024:F0} MB ({hub.Replicas.Values.Sum(r => r.Length)} processes)"));
    }

    /// <summary>Tickets at <paramref name="rate"/> per second for <paramref name="duration"/>, alternately through each gateway.</summary>
    private static async Task<(List<Guid> Accepted, List<double> AcceptanceMs)> PacedAsync(ReplicaHub hub, int rate, TimeSpan duration, Func<int> next)
    {
        var accepted = new ConcurrentBag<Guid>();
        var acceptance = new ConcurrentBag<double>();
        var count = (int)(rate * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var n = next();
            inFlight.Add(Task.Run(async () =>
            {
                var (id, ms) = await SubmitAsync(hub.Gateways[n % hub.Gateways.Count], n);
                accepted.Add(id);
                acceptance.Add(ms);
            }));
        }

        await Task.WhenAll(inFlight);
        return ([.. accepted], [.. acceptance]);
    }

    /// <summary><see cref="Clients"/> clients submitting one ticket after the other for <see cref="Saturation"/>.</summary>
    private static async Task<(List<Guid> Accepted, List<double> AcceptanceMs)> SaturateAsync(ReplicaHub hub, Func<int> next)
    {
        var accepted = new ConcurrentBag<Guid>();
        var acceptance = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            while (clock.Elapsed < Saturation)
            {
                var (id, ms) = await SubmitAsync(hub.Gateways[client % hub.Gateways.Count], next());
                accepted.Add(id);
                acceptance.Add(ms);
            }
        })));
        return ([.. accepted], [.. acceptance]);
    }

    private static async Task<(Guid Id, double Milliseconds)> SubmitAsync(HttpClient gateway, int number)
    {
        var body = new JsonObject
        {
            ["collegeUai"] = "0931234X",
            ["requester"] = new JsonObject { ["name"] = "Claire Martin", ["email"] = "claire.martin@ac-creteil.fr" },
            ["zone"] = "ZP",
            ["category"] = "vpi",
            ["type"] = "incident",
            ["title"] = $"Mesure {number} : le VPI ne s'allume plus",
            ["description"] = "Demande de la mesure de débit du hub.",
            ["urgency"] = "normal",
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", $"benchmark-{number:000000}");
        var clock = Stopwatch.StartNew();
        using var response = await gateway.SendAsync(request);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (Guid.Parse(answer!["id"]!.GetValue<string>()), elapsed);
    }

    /// <summary>Waits (3 minutes at most) until every ticket is forwarded; each one's received → forwarded, in milliseconds, from intake's history.</summary>
    private static async Task<List<double>> SubmitToForwardedAsync(ReplicaHub hub, IReadOnlyCollection<Guid> tickets)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var times = await HistoryAsync(hub, tickets);
            if (times.Count(t => t.Value.Forwarded is not null) >= tickets.Count || DateTime.UtcNow > deadline)
            {
                return [.. times.Values.Where(t => t.Forwarded is not null).Select(t => (t.Forwarded!.Value - t.Received).TotalMilliseconds).Order()];
            }

            await Task.Delay(500);
        }
    }

    /// <summary>From the first acceptance to the last forwarding of <paramref name="tickets"/>.</summary>
    private static async Task<TimeSpan> SpanAsync(ReplicaHub hub, IReadOnlyCollection<Guid> tickets)
    {
        var times = (await HistoryAsync(hub, tickets)).Values.Where(t => t.Forwarded is not null).ToList();
        return times.Count == 0 ? TimeSpan.Zero : times.Max(t => t.Forwarded!.Value) - times.Min(t => t.Received);
    }

    private static async Task<Dictionary<Guid, (DateTimeOffset Received, DateTimeOffset? Forwarded)>> HistoryAsync(ReplicaHub hub, IReadOnlyCollection<Guid> tickets)
    {
        var wanted = tickets.ToHashSet();
        var times = new Dictionary<Guid, (DateTimeOffset Received, DateTimeOffset? Forwarded)>();
        await using var connection = await hub.OpenAsync("intake");
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ticket_id, status, at FROM ticket_history WHERE status IN ('received', 'forwarded') ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetValue(0) is Guid guid ? guid : Guid.Parse(reader.GetString(0));
            if (!wanted.Contains(id))
            {
                continue;
            }

            var at = reader.GetValue(2) switch
            {
                DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
                DateTimeOffset offset => offset,
                var text => DateTimeOffset.Parse(Convert.ToString(text, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
            };
            var entry = times.GetValueOrDefault(id, (at, null));
            times[id] = reader.GetString(1) == "received" ? (at, entry.Forwarded) : (entry.Received, entry.Forwarded ?? at);
        }

        return times;
    }

    private static double Percentile(IReadOnlyCollection<double> values, double rank)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * rank))];
    }
}
