using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.PassOmere;

/// <summary>
/// Named options, one per <see cref="ExternalTool"/>, bound from its section (<c>Sandbox:Pass</c>,
/// <c>Sandbox:Omere</c>). Times are UTC instants in this contract: no time zone to configure.
/// </summary>
internal sealed class ExternalToolOptions
{
    /// <summary>The token the hub sends as <c>Authorization: Bearer …</c>. Required.</summary>
    public string ApiToken { get; set; } = "";

    /// <summary>JSON file keeping the tickets across restarts; empty keeps them in memory only.</summary>
    public string StateFile { get; set; } = "";

    /// <summary>Faults injected into the tool's API (<c>Sandbox:Pass:Faults:FailureRate</c>, …); none by default.</summary>
    public FaultOptions Faults { get; set; } = new();
}
