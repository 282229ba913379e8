namespace TicketHub.RealTools;

/// <summary>
/// One hub per tool for the whole run, started by the first test that needs it (starting one
/// takes about twenty seconds), stopped when the run ends. Tests of either tool share it, each with
/// tickets of its own.
/// </summary>
[SetUpFixture]
public sealed class RealHubs
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<ToolKind, RealToolHub> Hubs = [];

    /// <summary>The hub whose infogérant works in the real GLPI.</summary>
    public static Task<RealToolHub> GlpiAsync() => ForAsync(ToolKind.Glpi);

    /// <summary>The hub whose infogérant works in the real iTop.</summary>
    public static Task<RealToolHub> ItopAsync() => ForAsync(ToolKind.Itop);

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var hub in Hubs.Values)
        {
            await hub.DisposeAsync();
        }

        Hubs.Clear();
    }

    /// <summary>The hub whose team works in <paramref name="tool"/>.</summary>
    public static async Task<RealToolHub> ForAsync(ToolKind tool)
    {
        await Gate.WaitAsync();
        try
        {
            if (!Hubs.TryGetValue(tool, out var hub))
            {
                // Few tickets per sync page: a run's tickets need several pages of the tool's answers.
                hub = await RealToolHub.StartAsync(tool, syncPage: RealToolHub.SmallSyncPage);
                Hubs[tool] = hub;
            }

            return hub;
        }
        finally
        {
            Gate.Release();
        }
    }
}
