using System.Diagnostics;

namespace TicketHub.Testing;

/// <summary>Waits for a condition by polling it: tests assert on outcomes, never on durations.</summary>
internal static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string because, int seconds = 20) =>
        TrueAsync(() => Task.FromResult(condition()), because, seconds);

    public static async Task TrueAsync(Func<Task<bool>> condition, string because, int seconds = 20)
    {
        var started = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(seconds)), $"never happened: {because}");
            await Task.Delay(25);
        }
    }
}
