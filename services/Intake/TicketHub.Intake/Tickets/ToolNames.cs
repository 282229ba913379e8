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
}
