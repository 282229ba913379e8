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

    /// <summary>Whether <paramref name="token"/> was signed here for <paramref name="email"/>.</summary>
    public bool Verify(string email, string? token)
    {
        if (!Enabled || string.IsNullOrEmpty(token))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Token(email));
        var given = Encoding.ASCII.GetBytes(token);
        return expected.Length == given.Length && CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private string Url(string path, string email) =>
        $"{options.Value.PortalUrl.TrimEnd('/')}{path}?adresse={Uri.EscapeDataString(NotificationPreferences.Normalise(email))}&jeton={Token(email)}";

    private string Token(string email)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.SigningKey), Encoding.UTF8.GetBytes(Purpose + NotificationPreferences.Normalise(email)));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
