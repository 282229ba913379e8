using System.ComponentModel.DataAnnotations;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Routing;

/// <summary>Bound from the <c>Routing</c> section (env: <c>Routing__InfogerantTool</c>, …).</summary>
public sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    /// <summary>Tool of the Département's infogérant: <c>glpi</c> or <c>itop</c>.</summary>
    [Required(ErrorMessage = "Routing:InfogerantTool est obligatoire / is required ('glpi' ou 'itop').")]
    [AllowedValues(ExternalTools.Glpi, ExternalTools.Itop,
        ErrorMessage = "Routing:InfogerantTool doit valoir 'glpi' ou 'itop' / must be 'glpi' or 'itop'.")]
    public string InfogerantTool { get; set; } = "";

    /// <summary>Recorded on every decision, so that a decision can be traced to the rules that made it.</summary>
    [Required(ErrorMessage = "Routing:RuleSetVersion est obligatoire / is required (e.g. '93-2025.1').")]
    public string RuleSetVersion { get; set; } = "";
}
