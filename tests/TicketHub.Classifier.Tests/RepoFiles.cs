namespace TicketHub.Classifier.Tests;

/// <summary>Files of the repository the tests read (the sample registry).</summary>
internal static class RepoFiles
{
    public static string SeedCsv => Path.Combine(Root, "deploy", "colleges.csv");

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
