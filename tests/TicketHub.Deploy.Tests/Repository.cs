namespace TicketHub.Deploy.Tests;

/// <summary>The repository these tests read: found by walking up from the test assembly to TicketHub.sln.</summary>
internal static class Repository
{
    public static readonly string Root = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    public static bool Exists(string relative) => File.Exists(PathOf(relative)) || Directory.Exists(PathOf(relative));

    /// <summary>The projects the solution lists, as repository paths with forward slashes.</summary>
    public static IReadOnlyList<string> SolutionProjects() =>
        System.Text.RegularExpressions.Regex.Matches(Read("TicketHub.sln"), "\"([^\"]+\\.csproj)\"")
            .Select(match => match.Groups[1].Value.Replace('\\', '/'))
            .ToList();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "TicketHub.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No TicketHub.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
