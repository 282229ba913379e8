using TicketHub.Contracts;

namespace TicketHub.Intake.Tickets;

/// <summary>How the tools are named to a collège.</summary>
public static class ToolNames
{
    public static string Of(string tool) => tool switch
    {
        ExternalTools.Glpi => "l'infogérant du Département (GLPI)",
        ExternalTools.Itop => "l'infogérant du Département (iTop)",
        ExternalTools.Pass => "le Rectorat (PASS)",
        ExternalTools.Omere => "le service des bâtiments (Omère)",
        _ => tool,
    };

    /// <summary>"à" and the tool's name, contracted as French wants it: « au Rectorat (PASS) », « à l'infogérant… ».</summary>
    public static string To(string tool) => Of(tool) switch
    {
        var name when name.StartsWith("le ", StringComparison.Ordinal) => "au " + name[3..],
        var name when name.StartsWith("les ", StringComparison.Ordinal) => "aux " + name[4..],
        var name => "à " + name,
    };
}
