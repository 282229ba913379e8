namespace TicketHub.Testing;

/// <summary>
/// Deletes a test's temporary folder. A service host that was just stopped can still close a SQLite
/// file (its -wal/-shm companions) for a moment, so deletion is retried briefly; a folder that still
/// resists is left in the temp directory and reported, since cleaning up is not what a test checks.
/// </summary>
internal static class TempFolder
{
    public static void Delete(string path)
    {
        for (var attempt = 1; Directory.Exists(path); attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
                return;
            }
            catch (IOException ex) when (attempt < 20)
            {
                TestContext.Progress.WriteLine($"Retrying deletion of {path}: {ex.Message}");
                Thread.Sleep(100);
            }
            catch (IOException ex)
            {
                TestContext.Progress.WriteLine($"Left {path} in place: {ex.Message}");
                return;
            }
        }
    }
}
