using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TicketHub.Intake.Notifications;

/// <summary>
/// The links of the mails, signed for one address (HMAC-SHA256 with <see cref="NotificationOptions.SigningKey"/>):
/// whoever holds a mail may choose what that address receives, and nobody can forge the link of
/// another address. None when no key is configured.
/// </summary>
public sealed class NotificationLinks(IOptions<NotificationOptions> options)
{
    private const string Purpose = "tickethub-notifications:";

    public bool Enabled => options.Value.SigningKey.Length >= 32;

    /// <summary>The page where the person chooses what they receive.</summary>
    public string? PreferencesUrl(string email) => Enabled ? Url("/notifications", email) : null;

    /// <summary>The RFC 8058 one-click address (through the gateway, without signing in): a POST there unsubscribes, a GET never does.</summary>
    public string? UnsubscribeUrl(string email) => Enabled ? Url("/api/v1/notifications/unsubscribe", email) : null;

    public string TicketUrl(Guid ticketId) => $"{options.Value.PortalUrl.TrimEnd('/')}/demandes/{ticketId}";

    /// <summary>
    /// The address a reply to a mail about <paramref name="ticketId"/> sent to <paramref name="email"/> goes
    /// to: <c>reponses+&lt;ticket id&gt;.&lt;signature of the ticket and the address&gt;@domain</c>; null when replies are not taken.
    /// </summary>
    public string? ReplyAddress(Guid ticketId, string email)
    {
        if (!options.Value.TakesReplies)
        {
            return null;
        }

        var (local, domain) = Split(options.Value.ReplyAddress);
        return $"{local}+{ticketId:N}.{ReplySignature(ticketId, email)}@{domain}";
    }

    /// <summary>The ticket a reply address names, when the address is one of <see cref="ReplyAddress"/>'s form; its signature is checked by <see cref="VerifyReply"/>.</summary>
    public (Guid TicketId, string Signature)? ParseReplyAddress(string address)
    {
        if (!options.Value.TakesReplies)
        {
            return null;
        }

        var (local, domain) = Split(options.Value.ReplyAddress);
        var (given, givenDomain) = Split(address.Trim());
        if (!string.Equals(givenDomain, domain, StringComparison.OrdinalIgnoreCase) || !given.StartsWith(local + "+", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var tag = given[(local.Length + 1)..].Split('.', 2);
        return tag.Length == 2 && Guid.TryParseExact(tag[0], "N", out var ticketId) ? (ticketId, tag[1]) : null;
    }

    private const string BounceTag = "rebond.";

    /// <summary>
    /// The envelope sender of the mails to <paramref name="email"/> (VERP): where the mail servers on
    /// the way send their delivery reports, <c>reponses+rebond.&lt;signature of the address&gt;@domain</c>;
    /// null when replies are not taken (no mailbox is read). A report is believed only for the address
    /// its envelope sender was signed for: nobody can stop another person's mail with a forged report.
    /// </summary>
    public string? BounceAddress(string email)
    {
        if (!options.Value.TakesReplies)
        {
            return null;
        }

        var (local, domain) = Split(options.Value.ReplyAddress);
        return $"{local}+{BounceTag}{BounceSignature(email)}@{domain}";
    }

    /// <summary>The signature of a <see cref="BounceAddress"/>, or null when <paramref name="address"/> is not of that form.</summary>
    public string? ParseBounceAddress(string address)
    {
        if (!options.Value.TakesReplies)
        {
            return null;
        }

        var (local, domain) = Split(options.Value.ReplyAddress);
        var (given, givenDomain) = Split(address.Trim());
        var prefix = local + "+" + BounceTag;
        return string.Equals(givenDomain, domain, StringComparison.OrdinalIgnoreCase) && given.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            ? given[prefix.Length..]
            : null;
    }

    /// <summary>Whether <paramref name="signature"/> was made here for the bounce address of <paramref name="email"/>.</summary>
    public bool VerifyBounce(string email, string signature) =>
        FixedTimeEquals(BounceSignature(email), signature.ToLowerInvariant());

    /// <summary>Whether <paramref name="signature"/> was made here for a reply of <paramref name="email"/> about <paramref name="ticketId"/>.</summary>
    public bool VerifyReply(Guid ticketId, string email, string signature) =>
        FixedTimeEquals(ReplySignature(ticketId, email), signature.ToLowerInvariant());

    /// <summary>Whether <paramref name="token"/> was signed here for <paramref name="email"/>.</summary>
    public bool Verify(string email, string? token)
    {
        if (!Enabled || string.IsNullOrEmpty(token))
        {
            return false;
        }

        return FixedTimeEquals(Token(email), token);
    }

    private static bool FixedTimeEquals(string expected, string given)
    {
        var a = Encoding.ASCII.GetBytes(expected);
        var b = Encoding.ASCII.GetBytes(given);
        return a.Length == b.Length && CryptographicOperations.FixedTimeEquals(a, b);
    }

    /// <summary>16 bytes of HMAC (22 characters): the address stays within the 64 characters of a local part.</summary>
    private string ReplySignature(Guid ticketId, string email) =>
        Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.SigningKey),
            Encoding.UTF8.GetBytes($"tickethub-reply:{ticketId:N}:{NotificationPreferences.Normalise(email)}"))[..16]).ToLowerInvariant();

    private string BounceSignature(string email) =>
        Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.SigningKey),
            Encoding.UTF8.GetBytes($"tickethub-bounce:{NotificationPreferences.Normalise(email)}"))[..16]).ToLowerInvariant();

    private static (string Local, string Domain) Split(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? (address, "") : (address[..at], address[(at + 1)..]);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private string Url(string path, string email) =>
        $"{options.Value.PortalUrl.TrimEnd('/')}{path}?adresse={Uri.EscapeDataString(NotificationPreferences.Normalise(email))}&jeton={Token(email)}";

    private string Token(string email)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.SigningKey), Encoding.UTF8.GetBytes(Purpose + NotificationPreferences.Normalise(email)));
        return Base64Url(mac);
    }
}
