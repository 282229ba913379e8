namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>Where the built services are, relative to this test assembly.</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the same configuration this test assembly was built with.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string ServiceDll(string projectFolder)
    {
        var name = Path.GetFileName(projectFolder);
        var path = Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", name + ".dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: build the solution first (tests/run.sh does).", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TicketHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TicketHub.sln not found above " + AppContext.BaseDirectory);
    }
}
