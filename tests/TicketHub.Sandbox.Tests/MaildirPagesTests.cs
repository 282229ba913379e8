using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace TicketHub.Sandbox.Tests;

/// <summary>
/// <c>/courriels</c> over a real SMTP server: <c>deploy/smtp.sh</c> starts Debian's aiosmtpd on a free
/// port with a temporary Maildir (installing python3-aiosmtpd when missing); MailKit sends to it as the
/// PASS and Omère connectors do in e-mail mode.
/// </summary>
public sealed class MaildirPagesTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);
    private string _folder = "";
    private string _maildir = "";
    private int _port;

    [OneTimeSetUp]
    public async Task StartSmtpServer()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"sandbox-mail-{Guid.NewGuid():N}");
        _maildir = Path.Combine(_folder, "maildir");
        _port = FreePort();
        await SmtpScriptAsync("start");
    }

    [OneTimeTearDown]
    public async Task StopSmtpServer()
    {
        try
        {
            await SmtpScriptAsync("stop");
        }
        finally
        {
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
    }

    [Test]
    public async Task Shows_a_message_received_by_SMTP_and_flags_the_second_copy_of_a_Message_Id()
    {
        await using var sandbox = new SandboxApp(new() { ["Sandbox:Mail:Maildir"] = _maildir });
        using var browser = sandbox.CreateClient();
        var messageId = $"TH-2026-000123.{Guid.NewGuid():N}@tickethub.test";

        await SendAsync(Ticket(messageId));
        var once = await browser.GetStringAsync(new Uri("/courriels", UriKind.Relative));
        await SendAsync(Ticket(messageId));
        var twice = await browser.GetStringAsync(new Uri("/courriels", UriKind.Relative));

        Assert.That(once, Does.Contain("[TH-2026-000123] Fuite d&#39;eau &lt;gymnase&gt;").And.Contain("intake@omere.test").And.Contain(messageId));
        Assert.That(once, Does.Not.Contain("reçu 2 fois").And.Not.Contain("<gymnase>"));
        Assert.That(twice, Does.Contain("reçu 2 fois"));

        var link = System.Text.RegularExpressions.Regex.Match(twice, "href=\"(/courriels/[^\"]+)\"").Groups[1].Value;
        var page = await browser.GetStringAsync(new Uri(WebUtility.HtmlDecode(link), UriKind.Relative));
        Assert.That(page, Does.Contain(messageId).And.Contain("Reçu 2 fois"));
        Assert.That(page, Does.Contain(WebUtility.HtmlEncode("Collège Jean Moulin, UT2 : l'eau coule sous la porte.")), "the text body, decoded and escaped");
    }

    [Test]
    public async Task Says_when_no_mailbox_is_configured()
    {
        await using var sandbox = new SandboxApp();
        using var browser = sandbox.CreateClient();

        var html = await browser.GetStringAsync(new Uri("/courriels", UriKind.Relative));

        Assert.That(html, Does.Contain("Aucune boîte aux lettres n'est configurée").And.Contain("Sandbox:Mail:Maildir"));
    }

    private static MimeMessage Ticket(string messageId)
    {
        var message = new MimeMessage
        {
            MessageId = messageId,
            Subject = "[TH-2026-000123] Fuite d'eau <gymnase>",
            Body = new TextPart("plain") { Text = "Collège Jean Moulin, UT2 : l'eau coule sous la porte." },
        };
        message.From.Add(new MailboxAddress("TicketHub", "tickethub@hub.test"));
        message.To.Add(new MailboxAddress("Omère", "intake@omere.test"));
        return message;
    }

    private async Task SendAsync(MimeMessage message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new SmtpClient { Timeout = 10_000 };
        await client.ConnectAsync("127.0.0.1", _port, SecureSocketOptions.None, timeout.Token);
        await client.SendAsync(message, timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);
    }

    /// <summary>Runs <c>deploy/smtp.sh ACTION PORT MAILDIR</c>, bounded; fails the fixture with its output.</summary>
    private async Task SmtpScriptAsync(string action)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(TicketHub.Testing.Repository.Root, "deploy", "smtp.sh"), action, _port.ToString(System.Globalization.CultureInfo.InvariantCulture), _maildir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"deploy/smtp.sh {action} took more than {ScriptTimeout}");
        }

        Assert.That(process.ExitCode, Is.Zero, $"deploy/smtp.sh {action}: {await output}{await errors}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
