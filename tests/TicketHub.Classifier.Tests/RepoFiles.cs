namespace TicketHub.Classifier.Tests;

/// <summary>Files of the repository the tests read (the sample registry, the shipped rule sets).</summary>
internal static class RepoFiles
{
    public static string SeedCsv => Path.Combine(Root, "deploy", "colleges.csv");

    /// <summary>The Seine-Saint-Denis rule set, the one the classifier routes with by default.</summary>
    public static string SeineSaintDenis => RuleSet("seine-saint-denis.json");

    /// <summary>The second sample: the Rectorat keeps every ZA, no Omère.</summary>
    public static string SansReprise => RuleSet("exemple-sans-reprise.json");

    public static string RuleSet(string fileName) => Path.Combine(Root, "deploy", "rulesets", fileName);

    private static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "deploy", "colleges.csv")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"deploy/colleges.csv not found above {AppContext.BaseDirectory}.");
        }
    }
}
