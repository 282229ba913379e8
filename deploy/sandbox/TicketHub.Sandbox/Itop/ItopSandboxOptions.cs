using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.Itop;

/// <summary>
/// Bound from <c>Sandbox:Itop</c> (env: <c>Sandbox__Itop__AuthPassword</c>, …). The defaults let the
/// sandbox start with no configuration; a run that matters sets its own password, as
/// <c>deploy/run.sh</c> does.
/// </summary>
internal sealed class ItopSandboxOptions
{
    public const string SectionName = "Sandbox:Itop";

    /// <summary>Login of the one account with the "REST Services User" profile.</summary>
    public string AuthUser { get; set; } = "tickethub-rest";

    public string AuthPassword { get; set; } = "sandbox-itop-password";

    /// <summary>
    /// How the emulated iTop is installed: <c>itil</c> (the default, as iTop 3.2 with the ITIL modules:
    /// incidents in the class Incident, UserRequest's request_type only <c>service_request</c>) or
    /// <c>simple</c> (the "simple ticket" install: no Incident, request_type incident or service_request).
    /// </summary>
    public string TicketClasses { get; set; } = ItopClassNames.Itil;

    public bool IsItil => !string.Equals(TicketClasses, ItopClassNames.Simple, StringComparison.OrdinalIgnoreCase);

    /// <summary>Time zone of the emulated server: iTop writes and compares dates in local time.</summary>
    public string TimeZone { get; set; } = "Europe/Paris";

    /// <summary>JSON file keeping the requests across restarts; empty keeps them in memory only.</summary>
    public string StateFile { get; set; } = "";

    /// <summary>Organization ids that exist; empty accepts any positive id (named "Organisation {id}").</summary>
    public List<int> Organizations { get; set; } = [];

    /// <summary>Largest file an Attachment may hold, in bytes (in a real iTop, PHP's post_max_size and MySQL's max_allowed_packet decide).</summary>
    public long AttachmentMaxSize { get; set; } = 20 * 1024 * 1024;

    /// <summary>Faults injected into rest.php (<c>Sandbox:Itop:Faults:FailureRate</c>, …); none by default.</summary>
    public FaultOptions Faults { get; set; } = new();
}
