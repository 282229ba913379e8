using System.ComponentModel.DataAnnotations;

namespace TicketHub.ServiceDefaults.Security;

/// <summary>
/// The internal token the gateway puts on every request it forwards (configuration section
/// <c>Identity:Token</c>). The gateway signs with the private key (ES256); every service checks with
/// the public key, so only the gateway can say who is acting and a request that bypasses it is refused.
/// Keys are PEM, given inline or as a file path; they come from configuration or the environment
/// (<c>Identity__Token__PublicKeyFile</c>), never from code.
/// </summary>
public sealed class InternalTokenOptions
{
    public const string SectionName = "Identity:Token";

    public const string DefaultIssuer = "tickethub-gateway";
    public const string DefaultAudience = "tickethub";

    [Required]
    public string Issuer { get; set; } = DefaultIssuer;

    [Required]
    public string Audience { get; set; } = DefaultAudience;

    /// <summary>The gateway's public key, PEM (SubjectPublicKeyInfo).</summary>
    public string? PublicKey { get; set; }

    /// <summary>A file holding <see cref="PublicKey"/>.</summary>
    public string? PublicKeyFile { get; set; }

    /// <summary>The gateway only: its private key, PEM (PKCS#8 or SEC1).</summary>
    public string? SigningKey { get; set; }

    /// <summary>The gateway only: a file holding <see cref="SigningKey"/>.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>How long a token lives. Short: the gateway mints one per forwarded request.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);
}
