namespace TicketHub.RealTools;

/// <summary>What the shared scenarios use to wait and to tell their tickets apart.</summary>
internal static class ScenarioSupport
{
    /// <summary>How long a scenario waits for the hub or the tool.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    /// <summary><c>crash-1f2e3d4c5b6a</c>: ASCII (the connectors' JSON escapes accented letters, and a proxy rule matches the raw body), unique per test.</summary>
    public static string Marker(string what) => $"{what}-{Guid.NewGuid():N}"[..(what.Length + 13)];

    /// <summary>Reads until <paramref name="done"/>, for <see cref="Settle"/>; fails with the hub's logs otherwise.</summary>
    public static async Task<T> EventuallyAsync<T>(this RealToolHub hub, Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Settle;
        T last;
        do
        {
            last = await read();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Never saw {what}. Last: {last}\n{hub.Logs()}");
        throw new InvalidOperationException();
    }
}
