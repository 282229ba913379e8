namespace TicketHub.Testing;

/// <summary>Where the repository's files are, from a test's output folder: the folder holding <c>TicketHub.sln</c>.</summary>
internal static class Repository
{
    private static readonly Lazy<string> Found = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TicketHub.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TicketHub.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => Found.Value;
}
