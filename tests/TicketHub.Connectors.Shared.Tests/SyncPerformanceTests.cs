using System.Diagnostics;
using System.Globalization;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>
/// Measures the http mode's sync with its default interval against the sandbox's PASS emulator:
/// calls per minute while idle (nothing followed, then one open ticket), then with 1,000 open
/// tickets; and the lag from a change in the tool to its ExternalTicketUpdated on the bus. A
/// measurement, not a test of the build: about five minutes, run by hand (see docs/performance.md).
/// </summary>
[Explicit("A measurement of about five minutes; see docs/performance.md")]
[Category("Performance")]
public sealed class SyncPerformanceTests
{
    private const int OpenTickets = 1_000;
    private const int LagSamples = 20;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Test]
    public async Task Measures_sync_lag_and_calls_per_minute_with_the_default_interval()
    {
        await using var pass = new SandboxTool();
        await using var app = new ConnectorApp<Program>("Pass", SandboxTool.ConnectorSettings(interval: "00:00:10"), services: pass.Serve);
        var harness = app.Harness;
        var report = TestContext.Out;
        report.WriteLine("Sync interval 10 s (default), 100 tickets per page; PASS = sandbox emulator, in process.");

        report.WriteLine($"Idle, no ticket followed: {await CallsDuringAsync(pass, Window)} calls in {Window.TotalSeconds} s");

        await SeedAsync(harness, 1);
        report.WriteLine($"Idle, 1 open ticket: {await CallsDuringAsync(pass, Window)} calls in {Window.TotalSeconds} s");

        var seeding = Stopwatch.StartNew();
        await SeedAsync(harness, OpenTickets);
        report.WriteLine($"Seeded {OpenTickets} more tickets through the connector in {seeding.Elapsed.TotalSeconds:F0} s");
        report.WriteLine($"Idle, {OpenTickets + 1} open tickets: {await CallsDuringAsync(pass, Window)} calls in {Window.TotalSeconds} s");

        var forwarded = harness.Published.Select<TicketForwarded>().Select(message => message.Context.Message).ToList();
        var random = new Random(20261123);
        var lags = new List<TimeSpan>();
        for (var sample = 0; sample < LagSamples; sample++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 10_000)));
            var target = forwarded[random.Next(forwarded.Count)];
            forwarded.Remove(target);
            var changed = Stopwatch.StartNew();
            await pass.StatusAsync(target.ExternalId, "assigned");
            await Eventually.TrueAsync(
                () => harness.Published.Select<ExternalTicketUpdated>(message => message.Context.Message.TicketId == target.TicketId).Any(),
                "the change reaches the bus", seconds: 60);
            lags.Add(changed.Elapsed);
        }

        lags.Sort();
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Lag change → ExternalTicketUpdated, {LagSamples} changes at random moments among {OpenTickets + 1} open tickets: "
            + $"min {lags[0].TotalSeconds:F1} s, median {lags[LagSamples / 2].TotalSeconds:F1} s, mean {lags.Average(lag => lag.TotalSeconds):F1} s, max {lags[^1].TotalSeconds:F1} s"));
        var reads = pass.Calls.Where(call => call.Call == "GET changes").Select(call => call.Duration).Order().ToList();
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"change reads in all: {reads.Count}, median answer {reads[reads.Count / 2].TotalMilliseconds:F0} ms, slowest {reads[^1].TotalMilliseconds:F0} ms"));
        Assert.That(lags[^1], Is.LessThan(TimeSpan.FromSeconds(30)), "target: an external change visible within 30 s");
    }

    private static async Task SeedAsync(ITestHarness harness, int count)
    {
        var already = harness.Published.Select<TicketForwarded>().Count();
        for (var i = 0; i < count; i++)
        {
            await harness.Bus.Publish(TestTickets.Routed(reference: string.Create(CultureInfo.InvariantCulture, $"TH-2026-{already + i + 1:000000}")));
        }

        await Eventually.TrueAsync(() => harness.Published.Select<TicketForwarded>().Count() >= already + count, $"{count} tickets created in PASS", seconds: 600);
    }

    /// <summary>Calls the tool receives during <paramref name="window"/>, by kind.</summary>
    private static async Task<string> CallsDuringAsync(SandboxTool pass, TimeSpan window)
    {
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(window);
        var calls = pass.Calls.Where(call => call.At >= start && call.At < start + window).ToList();
        return calls.Count == 0
            ? "0"
            : $"{calls.Count} ({string.Join(", ", calls.GroupBy(call => call.Call).Select(group => $"{group.Key} {group.Count()}"))})";
    }
}
