namespace TicketHub.Sandbox.Mail;

/// <summary>Bound from <c>Sandbox:Mail</c> (env: <c>Sandbox__Mail__Maildir</c>).</summary>
internal sealed class MailSandboxOptions
{
    public const string SectionName = "Sandbox:Mail";

    /// <summary>
    /// The Maildir that <c>deploy/smtp.sh</c>'s SMTP server delivers into (the PASS and Omère intake
    /// mailboxes in <c>email</c> delivery mode); empty: no mailbox, and <c>/courriels</c> says so.
    /// </summary>
    public string Maildir { get; set; } = "";
}
