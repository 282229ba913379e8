using System.Globalization;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Forwarding;

/// <summary>
/// The hub's notes to a tool's ticket when the Pôle TIE moves the request, in the same words for
/// every tool and delivery mode (plain text; GLPI and iTop show it as HTML): a technician reads one
/// story whichever tool the Département, the Rectorat or the building service works in.
/// </summary>
public static class ToolNotes
{
    private static readonly TimeZoneInfo ParisZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>The first words of <see cref="MovedAway"/>, which technicians and tests look for.</summary>
    public const string MovedAwayOpening = "Demande réorientée par le Pôle TIE";

    /// <summary>The first words of <see cref="SentBack"/>.</summary>
    public const string SentBackOpening = "Demande de nouveau orientée";

    /// <summary>The request was sent elsewhere: the tool's ticket is no longer the hub's, and may be closed.</summary>
    public static string MovedAway(TicketRerouted rerouted, string toolName) =>
        $"""
        {MovedAwayOpening} le {InParis(rerouted.ReroutedAt)} vers {RouteTargets.FrenchName(rerouted.Target)}.
        Motif : {rerouted.Reason.Trim().ReplaceLineEndings("\n")}
        Ce ticket n'est plus à traiter dans {toolName} (référence TicketHub {rerouted.Reference}) ; il peut être clos.
        """;

    /// <summary>The request, moved away earlier, was sent back to the tool that holds its ticket: to be worked again.</summary>
    public static string SentBack(TicketRouted routed, string toolName) =>
        $"""
        {SentBackOpening} vers {RouteTargets.FrenchName(routed.Route.Target)} par le Pôle TIE le {InParis(routed.RoutedAt)} : ce ticket est de nouveau à traiter dans {toolName} (référence TicketHub {routed.Reference}).
        {routed.Route.Explanation.Trim().ReplaceLineEndings("\n")}
        """;

    private static string InParis(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, ParisZone).ToString("dd/MM/yyyy 'à' HH:mm", French);
}
