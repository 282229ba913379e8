using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>Messages as the other services publish them.</summary>
internal static class TestTickets
{
    public static TicketRouted Routed(
        string reference = "TH-2026-000042",
        string tool = ExternalTools.Itop,
        string uai = "0931234X",
        string category = "imprimante",
        string type = "request",
        string urgency = "high",
        IReadOnlyList<string>? flags = null,
        Guid? ticketId = null) =>
        new(
            ticketId ?? Guid.NewGuid(),
            reference,
            new DateTimeOffset(2024, 11, 20, 9, 15, 0, TimeSpan.Zero),
            new TicketDetails(
                uai,
                new Requester("Claire Martin", "claire.martin@ac-creteil.fr", "01 48 00 00 00"),
                "ZP",
                category,
                type,
                BuildingImpact: false,
                Title: "Imprimante de la salle 12 en panne",
                Description: "L'imprimante affiche « erreur 50 » <b>.\nElle ne sort plus rien depuis lundi.",
                urgency,
                Location: "Salle 12, bâtiment B",
                Equipment: "HP LaserJet M404"),
            new RouteDecision(
                RouteTargets.Infogerant,
                tool,
                Queue: null,
                Rule: "R4",
                RuleSetVersion: "93-2026.1",
                Explanation: "Le matériel est en zone pédagogique : c'est l'infogérant du Département qui intervient.",
                Flags: flags ?? []),
            new CollegeSnapshot(uai, "Collège Jean Moulin", "Montreuil", "UT2"),
            new DateTimeOffset(2024, 11, 20, 9, 15, 2, TimeSpan.Zero));

    public static TicketCommentAdded Comment(TicketRouted routed, string text = "Le photocopieur du CDI est touché aussi.", string? tool = ExternalTools.Itop, string? externalId = "15") =>
        new(routed.TicketId, routed.Reference, Guid.NewGuid(), text, "Claire Martin", new DateTimeOffset(2024, 11, 20, 10, 30, 0, TimeSpan.Zero), tool, externalId);

    public static TicketRerouted Rerouted(TicketRouted routed, string target, string? tool, string reason = "Application Op@le : c'est le <Rectorat> & non l'infogérant.") =>
        new(routed.TicketId, routed.Reference, routed.CreatedAt, routed.Ticket, target, tool, null, routed.Route,
            new ExternalTicketRef(ExternalTools.Itop, "15", null), reason, "dispatcher.tie", new DateTimeOffset(2024, 11, 23, 9, 30, 0, TimeSpan.Zero));
}
