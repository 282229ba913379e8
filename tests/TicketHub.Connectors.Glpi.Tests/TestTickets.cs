using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>Routed tickets as the classifier publishes them.</summary>
internal static class TestTickets
{
    public static TicketRouted Routed(
        string reference = "TH-2026-000042",
        string tool = ExternalTools.Glpi,
        string uai = "0931234X",
        string category = "imprimante",
        string type = "incident",
        string urgency = "high",
        IReadOnlyList<string>? flags = null,
        TicketDetails? details = null) =>
        new(
            Guid.NewGuid(),
            reference,
            new DateTimeOffset(2026, 11, 20, 9, 15, 0, TimeSpan.Zero),
            details ?? new TicketDetails(
                uai,
                new Requester("Claire Martin", "claire.martin@ac-creteil.fr", "01 48 00 00 00"),
                "ZP",
                category,
                type,
                BuildingImpact: false,
                Title: "Imprimante de la salle 12 en panne",
                Description: "L'imprimante affiche « erreur 50 ».\nElle ne sort plus rien depuis lundi.",
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
            new DateTimeOffset(2026, 11, 20, 9, 15, 2, TimeSpan.Zero));
}
