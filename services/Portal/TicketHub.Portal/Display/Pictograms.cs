using TicketHub.Contracts;

namespace TicketHub.Portal.Display;

/// <summary>The DSFR pictogram shown beside each category of the form (decorative: the label says it all).</summary>
public static class Pictograms
{
    private static readonly Dictionary<string, string> ByCategory = new(StringComparer.Ordinal)
    {
        [CategoryCodes.PostePedagogique] = "buildings/school",
        [CategoryCodes.PosteAdministratif] = "document/binders",
        [CategoryCodes.Vpi] = "leisure/video",
        [CategoryCodes.Reseau] = "digital/internet",
        [CategoryCodes.Wifi] = "digital/smartphone",
        [CategoryCodes.Imprimante] = "document/document",
        [CategoryCodes.Serveur] = "system/flow-settings",
        [CategoryCodes.LogicielPedagogique] = "digital/application",
        [CategoryCodes.ApplicationMetierEn] = "system/system",
        [CategoryCodes.Ent] = "digital/avatar",
        [CategoryCodes.Batiment] = "buildings/house",
        [CategoryCodes.Autre] = "system/information",
    };

    /// <summary>The SVG's path under /dsfr/, e.g. <c>/dsfr/artwork/pictograms/leisure/video.svg</c>.</summary>
    public static string For(string category) =>
        $"/dsfr/artwork/pictograms/{ByCategory.GetValueOrDefault(category, "system/information")}.svg";
}
