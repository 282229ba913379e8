using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace TicketHub.RealTools;

/// <summary>
/// The figures of docs/performance.md « Against the real GLPI and iTop », measured on this machine's
/// real tools with the connector's default polling interval (10 s): how long one ticket takes from
/// submission to « forwarded », how long a technician's change takes to reach the hub, and how many
/// calls the connector makes to the tool per minute, idle and with 1,000 open tickets. They print
/// numbers and assert nothing about time (the machines are shared and noisy); tests/run.sh leaves
/// the category out. Run by hand:
/// <c>dotnet test tests/TicketHub.EndToEnd.Tests -c Release --filter "TestCategory=Performance&amp;FullyQualifiedName~RealToolMeasurements" --logger "console;verbosity=detailed"</c>
/// (TICKETHUB_MEASURE_OPEN_TICKETS sets the open tickets, 1,000 by default).
/// </summary>
[TestFixtureSource(nameof(Tools))]
[Category("Performance")]
[NonParallelizable]
public sealed class RealToolMeasurements(IToolUnderTest tool)
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);
    private static readonly int OpenTickets =
        int.TryParse(Environment.GetEnvironmentVariable("TICKETHUB_MEASURE_OPEN_TICKETS"), CultureInfo.InvariantCulture, out var open) ? open : 1_000;

    public static IEnumerable<TestFixtureData> Tools() =>
    [
        new TestFixtureData(new RealGlpiUnderTest()).SetArgDisplayNames("GLPI 10"),
        new TestFixtureData(new RealItopUnderTest()).SetArgDisplayNames("iTop 3.2 ITIL"),
    ];

    private RealToolHub _hub = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _hub = await RealToolHub.StartAsync(tool.Tool, DefaultInterval);

    [OneTimeTearDown]
    public async Task StopAsync() => await _hub.DisposeAsync();

    [Test]
    public async Task Measures_submit_to_forwarded_and_the_status_sync_lag()
    {
        const int tickets = 20;
        var toForwarded = new List<double>();
        var ids = new List<(string Id, string ExternalId)>();
        for (var i = 0; i < tickets; i++)
        {
            var watch = Stopwatch.StartNew();
            var (id, _) = await _hub.SubmitAsync(RealToolHub.TicketBody($"Mesure {i} {Guid.NewGuid():N}", type: "request"));
            var externalId = await _hub.WaitForwardedAsync(id);
            toForwarded.Add(watch.Elapsed.TotalMilliseconds);
            ids.Add((id, externalId));
        }

        var lags = new List<double>();
        foreach (var (id, externalId) in ids)
        {
            // Changes at random moments of the polling cycle, as technicians make them.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)DefaultInterval.TotalMilliseconds)));
            // Measured as the collège sees it: from the technician's call to the hub's API showing the
            // status (polled every 300 ms). The history's own date is the tool's change date, not when
            // the hub learned it.
            var watch = Stopwatch.StartNew();
            await tool.TakeInHandAsync(externalId);
            await _hub.WaitForTicketAsync(id, t => t["status"]!.GetValue<string>() == "in-progress", TimeSpan.FromSeconds(120));
            lags.Add(watch.Elapsed.TotalMilliseconds);
        }

        Report($"{tool.Tool}: submit → forwarded ({tickets} tickets, one at a time, through the gateway)", toForwarded);
        Report($"{tool.Tool}: technician's change → hub status (interval {DefaultInterval.TotalSeconds:0} s, {tickets} changes)", lags);
    }

    [Test]
    public async Task Measures_the_calls_per_minute_idle_and_with_open_tickets()
    {
        var idle = await CallsPerMinuteAsync();
        var open = await OpenTicketsAsync();
        var busy = await CallsPerMinuteAsync();

        TestContext.Progress.WriteLine($"{tool.Tool}: calls per minute to the tool, idle: {idle.Calls} ({idle.Detail})");
        TestContext.Progress.WriteLine($"{tool.Tool}: calls per minute to the tool with {open} more open tickets: {busy.Calls} ({busy.Detail})");
    }

    /// <summary>Opens <see cref="OpenTickets"/> tickets through the hub, eight at a time; how many.</summary>
    private async Task<int> OpenTicketsAsync()
    {
        var watch = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, OpenTickets).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var (id, _) = await _hub.SubmitAsync(RealToolHub.TicketBody($"Ouvert {i} {Guid.NewGuid():N}", type: "request"));
                await _hub.WaitForwardedAsync(id);
            }
            finally
            {
                gate.Release();
            }
        }));
        TestContext.Progress.WriteLine($"{tool.Tool}: {OpenTickets} tickets submitted and forwarded in {watch.Elapsed.TotalSeconds:F0} s (8 at a time)");
        return OpenTickets;
    }

    /// <summary>The connector's calls to the tool during one quiet minute, and how they split by kind.</summary>
    private async Task<(int Calls, string Detail)> CallsPerMinuteAsync()
    {
        await Task.Delay(DefaultInterval * 2); // let the connector settle into its polling
        var from = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromMinutes(1));
        var calls = _hub.Proxy.Seen.Where(request => request.At >= from && request.At < from.AddMinutes(1)).ToList();
        var detail = string.Join(", ", calls.GroupBy(Kind).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
        return (calls.Count, detail);
    }

    private static string Kind(ProxiedRequest request)
    {
        var path = request.PathAndQuery.Split('?')[0];
        if (request.Body.Contains("json_data", StringComparison.Ordinal))
        {
            var operation = System.Net.WebUtility.UrlDecode(request.Body);
            var at = operation.IndexOf("\"operation\":\"", StringComparison.Ordinal);
            return at < 0 ? "rest" : operation[(at + 13)..].Split('"')[0];
        }

        return $"{request.Method} {string.Join('/', path.Split('/').Where(part => part.Length > 0 && !part.All(char.IsDigit)).Skip(1))}";
    }

    private static void Report(string what, List<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        double At(double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
        TestContext.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: median {At(0.5):F0} ms, p90 {At(0.9):F0} ms, min {sorted[0]:F0} ms, max {sorted[^1]:F0} ms"));
    }
}
