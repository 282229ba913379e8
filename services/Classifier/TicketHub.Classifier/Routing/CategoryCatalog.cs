using TicketHub.Contracts;

namespace TicketHub.Classifier.Routing;

/// <param name="Code">Stable identifier sent by the intake form.</param>
/// <param name="Label">What the collège staff read, in French.</param>
/// <param name="ZoneHint">Zone assumed when the requester does not know it; null when the category exists in both.</param>
public sealed record Category(string Code, string Label, string? ZoneHint);

/// <summary>
/// The categories a ticket can have. A static catalogue for now: a later issue makes the rule set,
/// categories included, data per département. The codes themselves are API v1's closed list
/// (<see cref="CategoryCodes"/>), which intake validates against.
/// </summary>
public static class CategoryCatalog
{
    public static IReadOnlyList<Category> All { get; } =
    [
        new(CategoryCodes.PostePedagogique, "Ordinateur de salle de classe", Zones.Pedagogique),
        new(CategoryCodes.PosteAdministratif, "Ordinateur de l'administration (secrétariat, direction, gestion)", Zones.Administrative),
        new(CategoryCodes.Vpi, "Vidéoprojecteur interactif (VPI/ENI)", Zones.Pedagogique),
        new(CategoryCodes.Reseau, "Réseau filaire (prise, baie de brassage, accès internet)", null),
        new(CategoryCodes.Wifi, "Wi-Fi pédagogique", Zones.Pedagogique),
        new(CategoryCodes.Imprimante, "Imprimante ou copieur", null),
        new(CategoryCodes.Serveur, "Serveur (pédagogique ou administratif)", null),
        new(CategoryCodes.LogicielPedagogique, "Logiciel pédagogique", Zones.Pedagogique),
        new(CategoryCodes.ApplicationMetierEn, "Application métier de l'Éducation nationale (SIECLE, STS-web, Op@le…)", Zones.Administrative),
        new(CategoryCodes.Ent, "ENT (espace numérique de travail)", null),
        new(CategoryCodes.Batiment, "Bâtiment : électricité, locaux, travaux touchant le matériel numérique", null),
        new(CategoryCodes.Autre, "Autre problème ou demande", null),
    ];

    public static Category? Find(string? code) =>
        All.FirstOrDefault(category => string.Equals(category.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase));
}
