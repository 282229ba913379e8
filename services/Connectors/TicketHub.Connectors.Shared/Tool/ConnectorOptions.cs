using Microsoft.Extensions.Options;

namespace TicketHub.Connectors.Shared.Tool;

/// <summary>What every connector's pipeline reads from its tool's section (<c>Glpi</c>, <c>Itop</c>, <c>Pass</c>, <c>Omere</c>).</summary>
internal sealed class ConnectorOptions
{
    /// <summary>
    /// When a ticket is closed in the hub as a duplicate (« doublon de TH-… »), also solve its ticket in
    /// the tool after the note that says so (GLPI: a solution; iTop: resolved, ADR 19). False by default:
    /// the note only, and the tool's team closes its ticket itself. Only tools with an API can: the
    /// connectors of the others refuse to start with it.
    /// </summary>
    public bool CloseDuplicates { get; set; }
}

/// <summary>
/// The hub's contract, e-mail and the relay queue have no way to close a tool's ticket: a connector
/// of a tool without an API configured to close duplicates fails at start, naming the key.
/// </summary>
internal sealed class CloseDuplicatesNeedsAnApiValidator(ToolDescriptor tool) : IValidateOptions<ConnectorOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectorOptions options) => options.CloseDuplicates
        ? ValidateOptionsResult.Fail(
            $"{tool.SectionName}:CloseDuplicates cannot be true: {tool.DisplayName} is reached without an API the hub could close its tickets through; "
            + "leave it false (the hub's note tells the tool's team that the duplicate's ticket may be closed).")
        : ValidateOptionsResult.Success;
}
