namespace TicketHub.Contracts;

/// <summary>
/// The category codes of API v1. Intake rejects any other code; the classifier owns their labels
/// and zone hints (<c>GET /api/v1/categories</c>).
/// </summary>
public static class CategoryCodes
{
    public const string PostePedagogique = "poste-pedagogique";
    public const string PosteAdministratif = "poste-administratif";
    public const string Vpi = "vpi";
    public const string Reseau = "reseau";
    public const string Wifi = "wifi";
    public const string Imprimante = "imprimante";
    public const string Serveur = "serveur";
    public const string LogicielPedagogique = "logiciel-pedagogique";
    public const string ApplicationMetierEn = "application-metier-en";
    public const string Ent = "ent";
    public const string Batiment = "batiment";
    public const string Autre = "autre";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        PostePedagogique, PosteAdministratif, Vpi, Reseau, Wifi, Imprimante, Serveur,
        LogicielPedagogique, ApplicationMetierEn, Ent, Batiment, Autre,
    };
}
