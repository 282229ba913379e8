using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>Messages as the other services publish them.</summary>
internal static class TestTickets
{
    public static TicketRouted Routed(
        string tool = ExternalTools.Pass,
        string reference = "TH-2026-000042",
        string? queue = null,
        IReadOnlyList<string>? flags = null) =>
        new(
            Guid.NewGuid(),
            reference,
            new DateTimeOffset(2024, 11, 20, 9, 15, 0, TimeSpan.Zero),
            new TicketDetails(
                "0931234X",
                new Requester("Claire Martin", "claire.martin@ac-creteil.fr", "01 48 00 00 00"),
                tool == ExternalTools.Omere ? null : "ZA",
                tool == ExternalTools.Omere ? "bati-electricite" : "application-metier",
                "incident",
                BuildingImpact: tool == ExternalTools.Omere,
                Title: tool == ExternalTools.Omere ? "Prise murale arrachée en salle 12" : "Pronote refuse les connexions",
                Description: "Depuis lundi « erreur 500 » <b>.\nAucun professeur ne peut saisir les notes.",
                "high",
                Location: "Salle 12, bâtiment B",
                Equipment: null),
            new RouteDecision(
                tool == ExternalTools.Omere ? RouteTargets.Omere : RouteTargets.Pass,
                tool,
                queue,
                tool == ExternalTools.Omere ? "R1" : "R7",
                "93-2026.1",
                "Le collège n'est pas encore repris : le Rectorat reste compétent.",
                flags ?? []),
            new CollegeSnapshot("0931234X", "Collège Jean Moulin", "Montreuil", "UT2"),
            new DateTimeOffset(2024, 11, 20, 9, 15, 2, TimeSpan.Zero));

    public static TicketCommentAdded Comment(TicketRouted routed, string externalId, string text = "Le problème touche aussi la salle 14.") =>
        new(routed.TicketId, routed.Reference, Guid.NewGuid(), text, "Claire Martin", new DateTimeOffset(2024, 11, 20, 10, 30, 0, TimeSpan.Zero), routed.Route.Tool, externalId);

    public static TicketRerouted Rerouted(TicketRouted routed, string externalId, string target = RouteTargets.Infogerant, string? tool = ExternalTools.Glpi) =>
        new(routed.TicketId, routed.Reference, routed.CreatedAt, routed.Ticket, target, tool, null, routed.Route,
            new ExternalTicketRef(routed.Route.Tool!, externalId, null), "Poste en zone pédagogique : c'est l'infogérant.", "dispatcher.tie",
            new DateTimeOffset(2024, 11, 23, 9, 30, 0, TimeSpan.Zero));

    /// <summary>
    /// <paramref name="routed"/>, held by its tool as <paramref name="externalId"/>, closed on 6 December 2026 at 21:10 (Paris)
    /// as a duplicate of TH-2026-000123, held by <paramref name="keptTool"/> as <paramref name="keptExternalId"/>.
    /// </summary>
    public static TicketClosedAsDuplicate Duplicate(
        TicketRouted routed, string externalId, string? tool = null, string? keptTool = ExternalTools.Glpi, string? keptExternalId = "42") =>
        new(routed.TicketId, routed.Reference, tool ?? routed.Route.Tool, externalId, Guid.NewGuid(), "TH-2026-000123", keptTool, keptExternalId,
            "Anne Dupont (dispatcher)", new DateTimeOffset(2026, 12, 6, 20, 10, 0, TimeSpan.Zero));
}
