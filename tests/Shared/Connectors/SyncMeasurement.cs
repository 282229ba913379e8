using System.Globalization;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Testing;

/// <summary>The pieces the connectors' sync measurements share (docs/performance.md).</summary>
internal static class SyncMeasurement
{
    /// <summary>Publishes <paramref name="count"/> more routed tickets and waits until the connector forwarded them all.</summary>
    public static async Task SeedAsync(ITestHarness harness, int count, Func<string, TicketRouted> routed, string tool)
    {
        var already = harness.Published.Select<TicketForwarded>().Count();
        for (var i = 0; i < count; i++)
        {
            await harness.Bus.Publish(routed(string.Create(CultureInfo.InvariantCulture, $"TH-2026-{already + i + 1:000000}")));
        }

        await Eventually.TrueAsync(() => harness.Published.Select<TicketForwarded>().Count() >= already + count, $"{count} tickets created in {tool}", seconds: 600);
    }

    /// <summary>The calls made during <paramref name="window"/>, counted by kind: <c>0</c>, or <c>12 (core/get 12)</c>.</summary>
    public static async Task<string> CallsDuringAsync(Func<IEnumerable<(DateTimeOffset At, string Kind)>> calls, TimeSpan window)
    {
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(window);
        var made = calls().Where(call => call.At >= start && call.At < start + window).ToList();
        return made.Count == 0
            ? "0"
            : $"{made.Count} ({string.Join(", ", made.GroupBy(call => call.Kind).Select(group => $"{group.Key} {group.Count()}"))})";
    }

    /// <summary><c>min 1.8 s, median 7.1 s, mean 6.5 s, max 9.7 s</c> of sorted <paramref name="lags"/>.</summary>
    public static string Describe(IReadOnlyList<TimeSpan> lags) => string.Create(CultureInfo.InvariantCulture,
        $"min {lags[0].TotalSeconds:F1} s, median {lags[lags.Count / 2].TotalSeconds:F1} s, mean {lags.Average(lag => lag.TotalSeconds):F1} s, max {lags[^1].TotalSeconds:F1} s");
}
