using System.Diagnostics;
using System.Globalization;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// Measures the iTop sync with its default interval against the sandbox's emulator: calls to iTop per
/// minute while idle (nothing followed, then one open request), then with 1,000 open requests; and
/// the lag from a change in iTop to its ExternalTicketUpdated on the bus. A measurement, not a test
/// of the build: about six minutes, run by hand (see docs/performance.md).
/// </summary>
[Explicit("A measurement of about six minutes; see docs/performance.md")]
[Category("Performance")]
public sealed class SyncPerformanceTests
{
    private const int OpenRequests = 1_000;
    private const int LagSamples = 20;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Test]
    public async Task Measures_sync_lag_and_iTop_calls_per_minute_with_the_default_interval()
    {
        await using var itop = new SandboxItop();
        await using var app = new ConnectorApp(SandboxItop.ConnectorSettings(interval: "00:00:10"), services: itop.Serve);
        var harness = app.Services.GetTestHarness();
        var report = TestContext.Out;
        report.WriteLine($"Sync interval 10 s (default), batch 500 ids per query; iTop = sandbox emulator, in process.");

        report.WriteLine($"Idle, no request followed: {await CallsDuringAsync(itop, Window)} calls in {Window.TotalSeconds} s");

        await SeedAsync(harness, 1);
        report.WriteLine($"Idle, 1 open request: {await CallsDuringAsync(itop, Window)} calls in {Window.TotalSeconds} s");

        var seeding = Stopwatch.StartNew();
        await SeedAsync(harness, OpenRequests);
        report.WriteLine($"Seeded {OpenRequests} more requests through the connector in {seeding.Elapsed.TotalSeconds:F0} s");
        var byOperation = await CallsDuringAsync(itop, Window);
        report.WriteLine($"Idle, {OpenRequests + 1} open requests: {byOperation} calls in {Window.TotalSeconds} s");

        var forwarded = harness.Published.Select<TicketForwarded>().Select(message => message.Context.Message).ToList();
        var random = new Random(20261123);
        var lags = new List<TimeSpan>();
        for (var sample = 0; sample < LagSamples; sample++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 10_000)));
            var target = forwarded[random.Next(forwarded.Count)];
            forwarded.Remove(target);
            var before = harness.Published.Select<ExternalTicketUpdated>(message => message.Context.Message.TicketId == target.TicketId).Count();
            var changed = Stopwatch.StartNew();
            await itop.StimulusAsync(int.Parse(target.ExternalId, CultureInfo.InvariantCulture), "ev_assign");
            await Eventually.TrueAsync(
                () => harness.Published.Select<ExternalTicketUpdated>(message => message.Context.Message.TicketId == target.TicketId).Count() > before,
                "the change reaches the bus", seconds: 60);
            lags.Add(changed.Elapsed);
        }

        lags.Sort();
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Lag change → ExternalTicketUpdated, {LagSamples} changes at random moments among {OpenRequests + 1} open requests: "
            + $"min {lags[0].TotalSeconds:F1} s, median {lags[LagSamples / 2].TotalSeconds:F1} s, mean {lags.Average(lag => lag.TotalSeconds):F1} s, max {lags[^1].TotalSeconds:F1} s"));
        var gets = itop.Calls.Where(call => call.Operation == "core/get").Select(call => call.Duration).Order().ToList();
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"core/get calls in all: {gets.Count}, median answer {gets[gets.Count / 2].TotalMilliseconds:F0} ms, slowest {gets[^1].TotalMilliseconds:F0} ms; "
            + $"creations: {itop.Calls.Count(call => call.Operation == "core/create")}"));
        Assert.That(lags[^1], Is.LessThan(TimeSpan.FromSeconds(30)), "target: an external change visible within 30 s");
    }

    private static async Task SeedAsync(ITestHarness harness, int count)
    {
        var already = harness.Published.Select<TicketForwarded>().Count();
        for (var i = 0; i < count; i++)
        {
            await harness.Bus.Publish(TestTickets.Routed(reference: string.Create(CultureInfo.InvariantCulture, $"TH-2026-{already + i + 1:000000}")));
        }

        await Eventually.TrueAsync(() => harness.Published.Select<TicketForwarded>().Count() >= already + count, $"{count} requests created in iTop", seconds: 600);
    }

    /// <summary>Calls iTop receives during <paramref name="window"/>, by operation.</summary>
    private static async Task<string> CallsDuringAsync(SandboxItop itop, TimeSpan window)
    {
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(window);
        var calls = itop.Calls.Where(call => call.At >= start && call.At < start + window).ToList();
        return calls.Count == 0
            ? "0"
            : $"{calls.Count} ({string.Join(", ", calls.GroupBy(call => call.Operation).Select(group => $"{group.Key} {group.Count()}"))})";
    }
}
