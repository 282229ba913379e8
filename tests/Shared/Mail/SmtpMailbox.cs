using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace TicketHub.Testing;

/// <summary>
/// A real SMTP server (Debian's aiosmtpd, started by <c>deploy/smtp.sh</c>, as <c>deploy/run.sh</c>
/// does) on a free port, filing what it receives in a Maildir of its own.
/// </summary>
public sealed class SmtpMailbox : IDisposable
{
    private SmtpMailbox(int port, string folder)
    {
        Port = port;
        Folder = folder;
    }

    public int Port { get; }

    public string Folder { get; }

    public string Maildir => Path.Combine(Folder, "maildir");

    public static SmtpMailbox Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var mailbox = new SmtpMailbox(port, Path.Combine(Path.GetTempPath(), "tickethub-tests", "smtp-" + Guid.NewGuid().ToString("N")));
        mailbox.Run("start");
        return mailbox;
    }

    /// <summary>Starts the server again after <see cref="Stop"/>.</summary>
    public void Restart() => Run("start");

    public void Stop() => Run("stop");

    /// <summary>Every message received so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var files = new[] { "new", "cur" }
            .Select(sub => Path.Combine(Maildir, sub))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .OrderBy(File.GetLastWriteTimeUtc)
            .ToList();
        return [.. files.Select(file => MimeMessage.Load(file))];
    }

    public void Dispose()
    {
        Stop();
        TicketHub.Testing.TempFolder.Delete(Folder);
    }

    private void Run(string action)
    {
        var script = Path.Combine(TicketHub.Testing.Repository.Root, "deploy", "smtp.sh");
        var start = new ProcessStartInfo("bash", [script, action, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Maildir])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"deploy/smtp.sh {action} did not finish");
        }

        Assert.That(process.ExitCode, Is.Zero, $"deploy/smtp.sh {action}: {errors.Result}");
    }
}
