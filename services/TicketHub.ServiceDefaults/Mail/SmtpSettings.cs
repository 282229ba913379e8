using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace TicketHub.ServiceDefaults.Mail;

/// <summary>
/// An SMTP server the hub sends through: its address, how the connection is secured, its account
/// (the password is a secret: from the environment) and how long one exchange may take.
/// </summary>
public class SmtpSettings
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 25;

    /// <summary><c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c> or <c>Auto</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTlsWhenAvailable;

    /// <summary>SMTP account, or empty when the relay needs none.</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sends <paramref name="message"/> in one connection. A refusal (<see cref="SmtpCommandException"/>,
    /// its status code says whether it is final) or a broken connection throws.
    /// </summary>
    /// <param name="envelopeSender">The SMTP envelope's sender (<c>MAIL FROM</c>), where delivery reports go; the message's From when null.</param>
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken, string? envelopeSender = null)
    {
        using var smtp = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        await smtp.ConnectAsync(Host, Port, Security, cancellationToken);
        if (!string.IsNullOrEmpty(Username))
        {
            await smtp.AuthenticateAsync(Username, Password, cancellationToken);
        }

        if (envelopeSender is null)
        {
            await smtp.SendAsync(message, cancellationToken);
        }
        else
        {
            await smtp.SendAsync(message, MailboxAddress.Parse(envelopeSender), message.To.Mailboxes.Concat(message.Cc.Mailboxes), cancellationToken);
        }

        await smtp.DisconnectAsync(quit: true, cancellationToken);
    }
}
