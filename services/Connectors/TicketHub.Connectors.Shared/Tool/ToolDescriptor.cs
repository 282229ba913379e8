namespace TicketHub.Connectors.Shared.Tool;

/// <summary>Which tool a host of this connector serves.</summary>
/// <param name="Tool">One of <see cref="Contracts.ExternalTools"/>: <c>glpi</c>, <c>itop</c>, <c>pass</c> or <c>omere</c>.</param>
/// <param name="SectionName">Configuration section of the tool: <c>Glpi</c>, <c>Itop</c>, <c>Pass</c>, <c>Omere</c>.</param>
/// <param name="DisplayName">The tool's name as people write it: <c>GLPI</c>, <c>iTop</c>, <c>PASS</c>, <c>Omère</c>.</param>
/// <param name="QueueIsUt">The tool's queue is the collège's UT (Omère) when the route names none.</param>
/// <param name="IsInfogerantTool">The infogérant's tool (GLPI, iTop): a re-route within the infogérant that names no tool keeps the ticket there.</param>
public sealed record ToolDescriptor(string Tool, string SectionName, string DisplayName, bool QueueIsUt, bool IsInfogerantTool = false)
{
    public static ToolDescriptor Glpi { get; } = new(Contracts.ExternalTools.Glpi, "Glpi", "GLPI", QueueIsUt: false, IsInfogerantTool: true);

    public static ToolDescriptor Itop { get; } = new(Contracts.ExternalTools.Itop, "Itop", "iTop", QueueIsUt: false, IsInfogerantTool: true);

    public static ToolDescriptor Pass { get; } = new(Contracts.ExternalTools.Pass, "Pass", "PASS", QueueIsUt: false);

    public static ToolDescriptor Omere { get; } = new(Contracts.ExternalTools.Omere, "Omere", "Omère", QueueIsUt: true);

    /// <summary>The name people write for <paramref name="tool"/> (from a message): <c>GLPI</c> for <c>glpi</c>; the code itself for a tool the hub does not know.</summary>
    public static string DisplayNameOf(string tool) =>
        new[] { Glpi, Itop, Pass, Omere }.FirstOrDefault(known => known.Is(tool))?.DisplayName ?? tool;

    /// <summary>Whether <paramref name="tool"/> (from a message) names this tool.</summary>
    public bool Is(string? tool) => string.Equals(tool, Tool, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the tool's ticket stays the hub's after <paramref name="rerouted"/>: sent to this tool
    /// again, or, for the infogérant's tool, moved within the infogérant without naming another tool.
    /// </summary>
    public bool Keeps(Contracts.TicketRerouted rerouted) =>
        Is(rerouted.Tool) || (IsInfogerantTool && rerouted.Target == Contracts.RouteTargets.Infogerant && rerouted.Tool is null);
}
