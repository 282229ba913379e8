using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Security;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Portal.Pages;

/// <summary>The home page: what the user's role can do, as links.</summary>
public sealed class IndexModel : PortalPageModel
{
    public IReadOnlyList<(string Href, string Title, string Description, string Pictogram)> Actions { get; private set; } = [];

    public void OnGet()
    {
        var user = CurrentUser;
        var actions = new List<(string, string, string, string)>();
        if (user.Allows(PortalAuthorization.FileTickets))
        {
            actions.Add(("/demandes/nouvelle", "Faire une demande", "Une panne, un matériel à installer, un problème de bâtiment : un seul formulaire.", "/dsfr/artwork/pictograms/document/document-add.svg"));
        }

        actions.Add(("/demandes", user.IsCollege ? "Suivre mes demandes" : "Consulter les demandes",
            user.IsCollege ? "Où en sont les demandes de votre collège, les réponses des techniciens." : "Les demandes que vous pouvez consulter, par statut.",
            "/dsfr/artwork/pictograms/document/document-search.svg"));
        if (user.Allows(PortalAuthorization.InfogerantQueue))
        {
            actions.Add(("/infogerant", "File de l'infogérant", "Par collège, unité territoriale et statut, avec le lien vers GLPI ou iTop.", "/dsfr/artwork/pictograms/digital/coding.svg"));
        }

        if (user.Allows(PortalAuthorization.VisitSheet))
        {
            actions.Add(("/visite", "Visite sur site", "La fiche de visite d'un collège ou d'une UT, à imprimer : demandes à traiter et à confirmer, bâtiment ; ce qui a été fait, par demande.", "/dsfr/artwork/pictograms/buildings/school.svg"));
        }

        if (user.Allows(PortalAuthorization.RectoratQueue))
        {
            actions.Add(("/rectorat", "Rectorat (PASS)", "Les demandes du Rectorat et celles à saisir à la main dans PASS.", "/dsfr/artwork/pictograms/buildings/city-hall.svg"));
        }

        if (user.Allows(PortalAuthorization.OmereQueue))
        {
            actions.Add(("/omere", "Bâtiments (Omère)", "Les demandes par unité territoriale, et celles à saisir dans Omère.", "/dsfr/artwork/pictograms/buildings/house.svg"));
        }

        if (user.Allows(PortalAuthorization.Triage))
        {
            actions.Add(("/aiguillage", "Aiguillage", "Orienter à la main les demandes que les règles n'ont pas pu placer.", "/dsfr/artwork/pictograms/map/compass.svg"));
        }

        if (user.Allows(PortalAuthorization.Administration))
        {
            actions.Add(("/admin", "Administration", "Registre des collèges, règles d'orientation, messages en échec.", "/dsfr/artwork/pictograms/system/flow-settings.svg"));
        }

        Actions = actions;
    }
}
