using System.ComponentModel.DataAnnotations;

namespace TicketHub.Portal;

/// <summary>Where the portal finds the services it calls (section <c>Services</c>).</summary>
public sealed class ServiceAddresses
{
    public const string SectionName = "Services";

    /// <summary>Intake's base address (tickets, triage, relay, dead letters).</summary>
    [Required(ErrorMessage = "Services:Intake (intake's address, e.g. http://127.0.0.1:5101/) must be set.")]
    public Uri? Intake { get; set; }

    /// <summary>The classifier's base address (categories, collèges, rule set).</summary>
    [Required(ErrorMessage = "Services:Classifier (the classifier's address, e.g. http://127.0.0.1:5102/) must be set.")]
    public Uri? Classifier { get; set; }
}

/// <summary>The portal's own settings (section <c>Portal</c>).</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>Dates are shown in this zone (the département's).</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/Paris";

    /// <summary>At most this many attachments per ticket.</summary>
    [Range(0, 20)]
    public int MaxAttachments { get; set; } = 5;

    /// <summary>At most this many bytes per attachment (10 MB).</summary>
    [Range(1, 100L * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 10L * 1024 * 1024;
}
