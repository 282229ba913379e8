using TicketHub.ServiceDefaults.Mail;

namespace TicketHub.Intake.Notifications;

/// <summary>
/// The <c>Notifications</c> section: the e-mails that tell requesters and followers what happens to
/// their tickets (issue 15). Off until an SMTP server is given (<c>Notifications:Smtp:Host</c>).
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>The SMTP server the mails leave through (<c>Notifications:Smtp:Password</c> is a secret: environment only).</summary>
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>The sender, e.g. <c>TicketHub &lt;tickethub@departement.example&gt;</c>.</summary>
    public string From { get; set; } = "TicketHub <tickethub@tickethub.invalid>";

    /// <summary>Where the people open the portal (links to a ticket's page, to their preferences).</summary>
    public string PortalUrl { get; set; } = "http://localhost:8080";

    /// <summary>The domain of the mails' Message-IDs (one thread per ticket).</summary>
    public string MessageIdDomain { get; set; } = "tickethub.invalid";

    /// <summary>
    /// The key that signs the links of the mails (preferences, unsubscribe): a secret, from the
    /// environment; at least 32 characters. Without it the mails carry no such link.
    /// </summary>
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// The address replies to the mails go to, e.g. <c>reponses@tickethub.example</c>: each mail's
    /// Reply-To is <c>reponses+&lt;ticket&gt;.&lt;signature&gt;@tickethub.example</c>. Empty: replies are not taken.
    /// </summary>
    public string ReplyAddress { get; set; } = "";

    /// <summary>The Maildir the mail server delivers that address's mail into, read by <see cref="ReplyMailbox"/>.</summary>
    public string ReplyMaildir { get; set; } = "";

    /// <summary>How often the Maildir is read (5 seconds).</summary>
    public TimeSpan ReplyPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When the daily digest leaves (17:00), in <see cref="TimeZone"/>.</summary>
    public TimeOnly DigestAt { get; set; } = new(17, 0);

    /// <summary>The time zone of <see cref="DigestAt"/> and of the dates in the mails.</summary>
    public string TimeZone { get; set; } = "Europe/Paris";

    public bool Enabled => !string.IsNullOrWhiteSpace(Smtp.Host);

    /// <summary>Replies are taken: an address, a Maildir, and the key that signs the address.</summary>
    public bool TakesReplies => Enabled && ReplyAddress.Contains('@', StringComparison.Ordinal) && ReplyMaildir.Length > 0 && SigningKey.Length >= 32;
}
