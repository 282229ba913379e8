namespace TicketHub.Deploy.Tests;

/// <summary>deploy/docker/Dockerfile read as instructions (one per logical line, continuations joined).</summary>
internal static class Dockerfile
{
    public const string Path = "deploy/docker/Dockerfile";

    public static readonly Lazy<IReadOnlyList<(string Instruction, string Arguments)>> Instructions = new(() =>
    {
        var logical = new List<string>();
        var current = "";
        foreach (var line in Repository.Read(Path).Split('\n'))
        {
            if (current.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
            {
                continue;
            }

            current += line.TrimEnd().TrimEnd('\\') + " ";
            if (!line.TrimEnd().EndsWith('\\'))
            {
                logical.Add(current.Trim());
                current = "";
            }
        }

        return logical.Select(line => line.Split(' ', 2)).Select(parts => (parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1] : "")).ToList();
    });

    /// <summary>The instructions of the last stage (the image that ships).</summary>
    public static IEnumerable<(string Instruction, string Arguments)> FinalStage() =>
        Instructions.Value.Skip(Instructions.Value.Select((item, index) => (item, index)).Last(entry => entry.item.Instruction == "FROM").index);
}
