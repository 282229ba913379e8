using System.Globalization;
using TicketHub.Connectors.Shared.Delivery;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Forwarding;

/// <summary>
/// The hub's notes to a tool's ticket when the Pôle TIE moves the request or closes it as a
/// duplicate, in the same words for every tool and delivery mode (plain text; GLPI and iTop show it
/// as HTML): a technician reads one story whichever tool the Département, the Rectorat or the
/// building service works in. Each note's id is stable (<see cref="StableIds"/>): the tool, what
/// happened, the ticket and when, so that a redelivered message writes the same note.
/// </summary>
public static class ToolNotes
{
    private static readonly TimeZoneInfo ParisZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>The first words of <see cref="MovedAway"/>, which technicians and tests look for.</summary>
    public const string MovedAwayOpening = "Demande réorientée par le Pôle TIE";

    /// <summary>The first words of <see cref="SentBack"/>.</summary>
    public const string SentBackOpening = "Demande de nouveau orientée";

    /// <summary>The first words of <see cref="Duplicate"/>.</summary>
    public const string DuplicateOpening = "Doublon de la demande";

    /// <summary>
    /// The request was sent elsewhere: the tool's ticket is no longer the hub's, and may be closed.
    /// A ticket deleted from the tool meanwhile needs no such note.
    /// </summary>
    public static HubNote MovedAway(TicketRerouted rerouted, ToolDescriptor tool) => new(
        rerouted.TicketId,
        rerouted.Reference,
        NoteId(tool, "moved", rerouted.TicketId, rerouted.ReroutedAt),
        "Demande réorientée",
        "à clore",
        $"""
        {MovedAwayOpening} le {InParis(rerouted.ReroutedAt)} vers {RouteTargets.FrenchName(rerouted.Target)}.
        Motif : {rerouted.Reason.Trim().ReplaceLineEndings("\n")}
        Ce ticket n'est plus à traiter dans {tool.DisplayName} (référence TicketHub {rerouted.Reference}) ; il peut être clos.
        """,
        MayFindTicketGone: true);

    /// <summary>The request, moved away earlier, was sent back to the tool that holds its ticket: to be worked again.</summary>
    public static HubNote SentBack(TicketRouted routed, ToolDescriptor tool) => new(
        routed.TicketId,
        routed.Reference,
        NoteId(tool, "sent-back", routed.TicketId, routed.RoutedAt),
        SentBackOpening,
        "de nouveau à traiter",
        $"""
        {SentBackOpening} vers {RouteTargets.FrenchName(routed.Route.Target)} par le Pôle TIE le {InParis(routed.RoutedAt)} : ce ticket est de nouveau à traiter dans {tool.DisplayName} (référence TicketHub {routed.Reference}).
        {routed.Route.Explanation.Trim().ReplaceLineEndings("\n")}
        """,
        MayFindTicketGone: false);

    /// <summary>
    /// The request was closed in the hub as a duplicate of another, where the fault is followed: the
    /// tool's ticket may be closed. A ticket deleted from the tool meanwhile needs no such note.
    /// </summary>
    public static HubNote Duplicate(TicketClosedAsDuplicate duplicate, ToolDescriptor tool) => new(
        duplicate.TicketId,
        duplicate.Reference,
        NoteId(tool, "duplicate", duplicate.TicketId, duplicate.ClosedAt),
        $"Doublon de {duplicate.KeptReference}",
        "à clore",
        $"""
        {DuplicateOpening} {duplicate.KeptReference}{KeptTicket(duplicate)}, où ce problème est suivi : clos dans TicketHub le {InParis(duplicate.ClosedAt)} par {duplicate.ClosedBy.Trim()}.
        Ce ticket (référence TicketHub {duplicate.Reference}) peut être clos.
        """,
        MayFindTicketGone: true);

    /// <summary>The solution written when the connector itself solves a duplicate's ticket (<c>CloseDuplicates</c>).</summary>
    public static string DuplicateSolution(TicketClosedAsDuplicate duplicate) =>
        $"Résolu par TicketHub : doublon de la demande {duplicate.KeptReference}{KeptTicket(duplicate)}, où ce problème est suivi.";

    /// <summary>
    /// « (ticket 42 dans GLPI) », « (GLPI) » or nothing: the kept ticket's tool and number, as far as
    /// the hub knows them. In e-mail mode the hub's "number" is its own Message-Id, not the tool's
    /// (ADR 7): only the tool is named then.
    /// </summary>
    private static string KeptTicket(TicketClosedAsDuplicate duplicate) => (duplicate.KeptTool, duplicate.KeptExternalId) switch
    {
        ({ } keptTool, { } id) when !string.IsNullOrWhiteSpace(id) && !id.Contains('@', StringComparison.Ordinal) =>
            $" (ticket {id.Trim()} dans {ToolDescriptor.DisplayNameOf(keptTool)})",
        ({ } keptTool, _) when !string.IsNullOrWhiteSpace(keptTool) => $" ({ToolDescriptor.DisplayNameOf(keptTool)})",
        _ => "",
    };

    private static Guid NoteId(ToolDescriptor tool, string what, Guid ticketId, DateTimeOffset at) =>
        StableIds.Of(tool.Tool, what, ticketId.ToString("D"), at.ToString("O"));

    private static string InParis(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, ParisZone).ToString("dd/MM/yyyy 'à' HH:mm", French);
}
