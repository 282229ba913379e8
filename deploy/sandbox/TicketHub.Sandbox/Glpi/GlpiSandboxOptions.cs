using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.Glpi;

/// <summary>Bound from <c>Sandbox:Glpi</c> (env: <c>Sandbox__Glpi__AppToken</c>, …).</summary>
internal sealed class GlpiSandboxOptions
{
    public const string SectionName = "Sandbox:Glpi";

    /// <summary>
    /// The GLPI version played: 10 (default, as GLPI 10.0.11: tickets have no <c>externalid</c>, it is
    /// dropped on create and <c>searchText[externalid]</c> answers an empty HTML page; text comes back
    /// entity-encoded) or 11 (<c>externalid</c> kept and searchable, search option 87).
    /// </summary>
    public int Version { get; set; } = 10;

    /// <summary>GLPI 11 and later keep tickets' <c>externalid</c>.</summary>
    public bool HasExternalId => Version >= 11;

    /// <summary>App-Token every call must carry; empty accepts calls without one, as GLPI does.</summary>
    public string AppToken { get; set; } = "";

    /// <summary>Remote access key of the one API account.</summary>
    public string UserToken { get; set; } = "";

    /// <summary>A session unused for this long expires (PHP's session garbage collection).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Time zone of the emulated server: GLPI writes and compares dates in local time.</summary>
    public string TimeZone { get; set; } = "Europe/Paris";

    /// <summary>JSON file keeping tickets and follow-ups across restarts; empty keeps them in memory only.</summary>
    public string StateFile { get; set; } = "";

    /// <summary>Entities the API account has no right to create in (to provoke ERROR_GLPI_ADD).</summary>
    public List<int> ForbiddenEntities { get; set; } = [];

    /// <summary>Largest file a document may hold, in bytes (GLPI's <c>document_max_size</c>, 2 MB by default there; 20 MB here).</summary>
    public long DocumentMaxSize { get; set; } = 20 * 1024 * 1024;

    /// <summary>File extensions GLPI's document types do not allow (to provoke a refusal), e.g. <c>exe</c>.</summary>
    public List<string> RefusedExtensions { get; set; } = [];

    /// <summary>Faults injected into apirest.php (<c>Sandbox:Glpi:Faults:FailureRate</c>, …); none by default.</summary>
    public FaultOptions Faults { get; set; } = new();
}
