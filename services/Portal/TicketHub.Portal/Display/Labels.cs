using TicketHub.Contracts;

namespace TicketHub.Portal.Display;

/// <summary>The French words for the API's codes, and the DSFR look that goes with them.</summary>
public static class Labels
{
    public static IReadOnlyList<string> Statuses { get; } =
        ["received", "routed", "triage", "forwarded", "in-progress", "waiting", "resolved", "closed", "failed"];

    public static string Status(string status) => status switch
    {
        "received" => "Reçue",
        "routed" => "Orientée",
        "triage" => "À orienter par le Pôle TIE",
        "forwarded" => "Transmise",
        HubStatuses.InProgress => "En cours de traitement",
        HubStatuses.Waiting => "En attente",
        HubStatuses.Resolved => "Résolue",
        HubStatuses.Closed => "Close",
        "failed" => "Transmission en échec",
        _ => status,
    };

    /// <summary>DSFR badge modifier of a status.</summary>
    public static string StatusBadge(string status) => status switch
    {
        "received" or "routed" or "forwarded" => "fr-badge--info",
        "triage" or HubStatuses.Waiting => "fr-badge--warning",
        HubStatuses.InProgress => "fr-badge--new",
        HubStatuses.Resolved or HubStatuses.Closed => "fr-badge--success",
        "failed" => "fr-badge--error",
        _ => "",
    };

    public static IReadOnlyList<(string Code, string Label)> Urgencies { get; } =
    [
        ("low", "Faible : cela peut attendre"),
        ("normal", "Normale"),
        ("high", "Élevée : cela gêne beaucoup le travail"),
        ("critical", "Critique : le travail est bloqué"),
    ];

    public static string Urgency(string? urgency) => urgency switch
    {
        "low" => "Faible",
        "normal" or null => "Normale",
        "high" => "Élevée",
        "critical" => "Critique",
        _ => urgency,
    };

    public static string Zone(string? zone) => zone switch
    {
        "ZA" => "Poste de l'administration",
        "ZP" => "Salle de classe, matériel pédagogique",
        _ => "Non précisé",
    };

    public static string Type(string? type) => type switch
    {
        "request" => "Demande (installation, déplacement, nouveau besoin)",
        _ => "Panne ou dysfonctionnement",
    };

    public static IReadOnlyList<string> Targets { get; } =
        [RouteTargets.Infogerant, RouteTargets.Pass, RouteTargets.Omere, RouteTargets.Region, RouteTargets.EntAssistance, RouteTargets.Triage];

    /// <summary>« L'infogérant du Département », « Le Rectorat (PASS) »…</summary>
    public static string Target(string? target) => target is null ? "Pas encore connue" : Capitalize(RouteTargets.FrenchName(target));

    public static string Tool(string? tool) => tool switch
    {
        ExternalTools.Glpi => "GLPI",
        ExternalTools.Itop => "iTop",
        ExternalTools.Pass => "PASS",
        ExternalTools.Omere => "Omère",
        null => "",
        _ => tool,
    };

    public static IReadOnlyList<string> Uts { get; } = ["UT1", "UT2", "UT3", "UT4"];

    /// <summary>
    /// « de » and a name as French wants it. The hub's names of the teams (intake signs a tool's reply
    /// with them) take their article: « du service des bâtiments (Omère) », « de la Région »,
    /// « de l'infogérant du Département (GLPI) »; a person's name is only elided, never contracted:
    /// « d'Élodie Martin », « de Le Goff ».
    /// </summary>
    public static string Of(string name)
    {
        if (Targets.Select(RouteTargets.FrenchName).Any(team =>
                name.Equals(team, StringComparison.OrdinalIgnoreCase) || name.StartsWith(team + " (", StringComparison.OrdinalIgnoreCase)))
        {
            var team = char.ToLowerInvariant(name[0]) + name[1..];
            return team.StartsWith("le ", StringComparison.Ordinal) ? "du " + team[3..]
                : team.StartsWith("les ", StringComparison.Ordinal) ? "des " + team[4..]
                : "de " + team;
        }

        var first = name.Length == 0 ? ' ' : name.Normalize(System.Text.NormalizationForm.FormD)[0];
        return "aeiouAEIOU".Contains(first, StringComparison.Ordinal) ? $"d'{name}" : $"de {name}";
    }

    public static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
