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

        report.WriteLine($"Idle, no request followed: {await SyncMeasurement.CallsDuringAsync(() => itop.Calls.Select(call => (call.At, call.Operation)), Window)} calls in {Window.TotalSeconds} s");

        await SyncMeasurement.SeedAsync(harness, 1, reference => TestTickets.Routed(reference: reference), "iTop");
        report.WriteLine($"Idle, 1 open request: {await SyncMeasurement.CallsDuringAsync(() => itop.Calls.Select(call => (call.At, call.Operation)), Window)} calls in {Window.TotalSeconds} s");

        var seeding = Stopwatch.StartNew();
        await SyncMeasurement.SeedAsync(harness, OpenRequests, reference => TestTickets.Routed(reference: reference), "iTop");
        report.WriteLine($"Seeded {OpenRequests} more requests through the connector in {seeding.Elapsed.TotalSeconds:F0} s");
        var byOperation = await SyncMeasurement.CallsDuringAsync(() => itop.Calls.Select(call => (call.At, call.Operation)), Window);
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
            $"Lag change → ExternalTicketUpdated, {LagSamples} changes at random moments among {OpenRequests + 1} open requests: {SyncMeasurement.Describe(lags)}"));
        var gets = itop.Calls.Where(call => call.Operation == "core/get").Select(call => call.Duration).Order().ToList();
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"core/get calls in all: {gets.Count}, median answer {gets[gets.Count / 2].TotalMilliseconds:F0} ms, slowest {gets[^1].TotalMilliseconds:F0} ms; "
            + $"creations: {itop.Calls.Count(call => call.Operation == "core/create")}"));
        Assert.That(lags[^1], Is.LessThan(TimeSpan.FromSeconds(30)), "target: an external change visible within 30 s");
    }
}
