using TicketHub.Contracts;

namespace TicketHub.Classifier.Routing;

/// <summary>Bound from the <c>Routing</c> section (env: <c>Routing__RuleSet</c>, <c>Routing__InfogerantTool</c>).</summary>
public sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    /// <summary>
    /// The département's rule-set file (<c>deploy/rulesets/*.json</c>); a relative path is resolved
    /// from the content root. Its version is recorded on every decision.
    /// </summary>
    public string RuleSet { get; set; } = "";

    /// <summary>
    /// Overrides the rule set's <c>infogerantTool</c> (<c>glpi</c> or <c>itop</c>) when set, e.g. to
    /// point a test platform at another tool without editing the file. Empty: the file decides.
    /// </summary>
    public string? InfogerantTool { get; set; }

    internal static bool IsValidTool(string? tool) => string.IsNullOrEmpty(tool) || tool is ExternalTools.Glpi or ExternalTools.Itop;
}
