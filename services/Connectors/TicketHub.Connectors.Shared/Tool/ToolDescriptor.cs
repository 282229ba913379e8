namespace TicketHub.Connectors.Shared.Tool;

/// <summary>Which tool a host of this connector serves.</summary>
/// <param name="Tool">One of <see cref="Contracts.ExternalTools"/>: <c>pass</c> or <c>omere</c>.</param>
/// <param name="SectionName">Configuration section of the tool: <c>Pass</c>, <c>Omere</c>.</param>
/// <param name="DisplayName">The tool's name as people write it: <c>PASS</c>, <c>Omère</c>.</param>
/// <param name="QueueIsUt">The tool's queue is the collège's UT (Omère) when the route names none.</param>
public sealed record ToolDescriptor(string Tool, string SectionName, string DisplayName, bool QueueIsUt)
{
    public static ToolDescriptor Pass { get; } = new(Contracts.ExternalTools.Pass, "Pass", "PASS", QueueIsUt: false);

    public static ToolDescriptor Omere { get; } = new(Contracts.ExternalTools.Omere, "Omere", "Omère", QueueIsUt: true);

    /// <summary>Whether <paramref name="tool"/> (from a message) names this tool.</summary>
    public bool Is(string? tool) => string.Equals(tool, Tool, StringComparison.OrdinalIgnoreCase);
}
