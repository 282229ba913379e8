using System.ComponentModel.DataAnnotations;

namespace TicketHub.Gateway.Identity;

/// <summary>The gateway's identity settings (section <c>Identity</c>), apart from <c>Identity:Token</c>.</summary>
public sealed class IdentityOptions
{
    public const string SectionName = "Identity";

    /// <summary>
    /// A JSON file of accounts and API keys imported at start (created when missing, never
    /// overwritten); relative to the content root. Empty: nothing is imported.
    /// </summary>
    public string? SeedFile { get; set; }

    public CookieSettings Cookie { get; set; } = new();

    public LoginRateLimitOptions LoginRateLimit { get; set; } = new();

    /// <summary>
    /// Where the data-protection keys that encrypt the session cookie are kept. Empty: the
    /// framework's default folder for the user. Gateways behind one address share this folder.
    /// </summary>
    public string? DataProtectionKeysFolder { get; set; }

    public sealed class CookieSettings
    {
        /// <summary>
        /// Marks the session cookie <c>Secure</c> (and names it <c>__Host-TicketHub</c>). Keep true:
        /// browsers treat http://localhost and 127.0.0.1 as secure. False only for a plain-http test
        /// on another host name; the cookie is then named <c>TicketHub</c>, since browsers refuse a
        /// <c>__Host-</c> cookie without <c>Secure</c>.
        /// </summary>
        public bool Secure { get; set; } = true;

        /// <summary>How long a session lasts without activity (sliding).</summary>
        [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
        public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(8);
    }
}

/// <summary>
/// Sign-in limits (<c>Identity:LoginRateLimit</c>): attempts per client address and window (every
/// attempt counts, whatever the login), and the failures allowed per login before each further attempt
/// waits (<see cref="Login.SignInThrottle"/>).
/// </summary>
public sealed class LoginRateLimitOptions
{
    /// <summary>Attempts per client address and <see cref="Window"/>, any login.</summary>
    [Range(1, 100_000)]
    public int PerIp { get; set; } = 30;

    /// <summary>Failures on one login from all the clients that never signed in to it, before they wait.</summary>
    [Range(1, 100_000)]
    public int PerLogin { get; set; } = 10;

    /// <summary>Failures on one login from one client (a known browser, or an address), before it waits.</summary>
    [Range(1, 100_000)]
    public int PerLoginAndClient { get; set; } = 5;

    /// <summary>The first wait past a budget; it doubles at each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failures older than this, with none since, are forgotten.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromMinutes(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
}
