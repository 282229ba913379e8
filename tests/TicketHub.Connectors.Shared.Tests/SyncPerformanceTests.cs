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

        report.WriteLine($"Idle, no ticket followed: {await SyncMeasurement.CallsDuringAsync(() => pass.Calls.Select(call => (call.At, call.Call)), Window)} calls in {Window.TotalSeconds} s");

        await SyncMeasurement.SeedAsync(harness, 1, reference => TestTickets.Routed(reference: reference), "PASS");
        report.WriteLine($"Idle, 1 open ticket: {await SyncMeasurement.CallsDuringAsync(() => pass.Calls.Select(call => (call.At, call.Call)), Window)} calls in {Window.TotalSeconds} s");

        var seeding = Stopwatch.StartNew();
        await SyncMeasurement.SeedAsync(harness, OpenTickets, reference => TestTickets.Routed(reference: reference), "PASS");
        report.WriteLine($"Seeded {OpenTickets} more tickets through the connector in {seeding.Elapsed.TotalSeconds:F0} s");
        report.WriteLine($"Idle, {OpenTickets + 1} open tickets: {await SyncMeasurement.CallsDuringAsync(() => pass.Calls.Select(call => (call.At, call.Call)), Window)} calls in {Window.TotalSeconds} s");

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
            $"Lag change → ExternalTicketUpdated, {LagSamples} changes at random moments among {OpenTickets + 1} open tickets: {SyncMeasurement.Describe(lags)}"));
        var reads = pass.Calls.Where(call => call.Call == "GET changes").Select(call => call.Duration).Order().ToList();
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"change reads in all: {reads.Count}, median answer {reads[reads.Count / 2].TotalMilliseconds:F0} ms, slowest {reads[^1].TotalMilliseconds:F0} ms"));
        Assert.That(lags[^1], Is.LessThan(TimeSpan.FromSeconds(30)), "target: an external change visible within 30 s");
    }
}
