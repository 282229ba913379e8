using System.Text.Json;
using TicketHub.Contracts;
using TicketHub.Intake.Http;

namespace TicketHub.Intake.Triage;

/// <summary>A dispatcher's decision: where the ticket goes instead, and why.</summary>
public sealed record RerouteRequest(string Target, string? Tool, string? Queue, string Reason)
{
    public const int ReasonMaxLength = 1_000;

    /// <summary>Tools each target accepts; null means the target has no external tool.</summary>
    private static readonly Dictionary<string, string[]?> ToolsByTarget = new(StringComparer.Ordinal)
    {
        [RouteTargets.Infogerant] = [ExternalTools.Glpi, ExternalTools.Itop],
        [RouteTargets.Pass] = [ExternalTools.Pass],
        [RouteTargets.Omere] = [ExternalTools.Omere],
        [RouteTargets.Region] = null,
        [RouteTargets.EntAssistance] = null,
        [RouteTargets.Triage] = null,
    };

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal) { "target", "tool", "queue", "reason" };

    /// <summary>Reads and checks the body; every problem is reported against its field, in French.</summary>
    public static (RerouteRequest? Request, Dictionary<string, string[]>? Errors) Parse(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["Le corps doit être un objet JSON {\"target\", \"tool\", \"queue\", \"reason\"}."];
            return (null, errors);
        }

        JsonFields.RejectUnknown(root, Fields, errors);

        var target = JsonFields.Text(root, "target", 30, errors);
        var tool = JsonFields.Text(root, "tool", 20, errors);
        var queue = JsonFields.Text(root, "queue", 100, errors);
        var reason = JsonFields.Text(root, "reason", ReasonMaxLength, errors, multiLine: true);

        if (target is null && !errors.ContainsKey("target"))
        {
            errors["target"] = [$"Indiquez la destination : {string.Join(", ", ToolsByTarget.Keys)}."];
        }
        else if (target is not null && !ToolsByTarget.ContainsKey(target))
        {
            errors["target"] = [$"Destination inconnue. Valeurs possibles : {string.Join(", ", ToolsByTarget.Keys)}."];
        }
        else if (target is not null && tool is not null)
        {
            var allowed = ToolsByTarget[target];
            if (allowed is null || !allowed.Contains(tool, StringComparer.Ordinal))
            {
                errors["tool"] = [allowed is null
                    ? "Cette destination ne passe par aucun outil : laissez « tool » vide."
                    : $"Outil incompatible avec cette destination. Valeurs possibles : {string.Join(", ", allowed)}."];
            }
        }

        if (reason is null && !errors.ContainsKey("reason"))
        {
            errors["reason"] = ["Indiquez pourquoi la demande est réorientée : la raison est gardée dans l'historique."];
        }

        return errors.Count > 0 ? (null, errors) : (new RerouteRequest(target!, tool, queue, reason!), null);
    }
}
