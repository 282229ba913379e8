using System.Globalization;
using Microsoft.Extensions.Options;
using TicketHub.Classifier.Registry;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Routing;

/// <summary>
/// Decides where a ticket goes: the dispatcher's rules R1..R8 (docs: domain.md), applied in order,
/// with R0 for a collège missing from the registry. Pure: no clock, no database, no bus.
/// </summary>
public sealed class RoutingPolicy(IOptions<RoutingOptions> options)
{

    /// <summary>Buildings from before this year need an asbestos survey before works.</summary>
    public const int AsbestosSurveyBefore = 1997;

    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private readonly RoutingOptions _options = options.Value;

    /// <param name="createdAt">When the ticket was submitted; its day in Paris is compared with the ZA reprise date.</param>
    /// <param name="college">The registry's entry, or null when the collège is unknown.</param>
    public RouteDecision Decide(TicketDetails ticket, DateTimeOffset createdAt, College? college)
    {
        if (college is null)
        {
            return Decision(new Route(RouteTargets.Triage, null, null, "R0",
                $"Le collège {ticket.CollegeUai} ne figure pas dans le registre du Département : un agent du Pôle TIE va orienter votre demande."), []);
        }

        var route = Apply(ticket, TicketDay(createdAt), college);
        if (NeedsAsbestosSurvey(ticket, college))
        {
            route = route with
            {
                Explanation = route.Explanation
                    + $" Votre collège ayant été construit avant {AsbestosSurveyBefore}, un diagnostic amiante est obligatoire avant "
                    + "d'installer ou de déplacer un VPI : prévoyez un délai supplémentaire.",
            };
            return Decision(route, [RouteFlags.DatAmiante]);
        }

        return Decision(route, []);
    }

    /// <summary>The calendar day of <paramref name="createdAt"/> in Europe/Paris.</summary>
    public static DateOnly TicketDay(DateTimeOffset createdAt) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(createdAt, Paris).DateTime);

    private Route Apply(TicketDetails ticket, DateOnly ticketDay, College college)
    {
        var category = CategoryCatalog.Find(ticket.Category);
        var code = category?.Code ?? ticket.Category;

        if (code == CategoryCodes.Batiment || ticket.BuildingImpact)
        {
            return new Route(RouteTargets.Omere, ExternalTools.Omere, college.Ut, "R1",
                $"Votre demande concerne le bâtiment : elle est transmise à l'unité territoriale {college.Ut} du Département, via Omère.");
        }

        if (code == CategoryCodes.Ent)
        {
            return new Route(RouteTargets.EntAssistance, null, null, "R2",
                "L'ENT est assuré par son éditeur, Kosmos : utilisez son formulaire d'assistance ou appelez son assistance téléphonique. "
                + "Votre demande reste enregistrée ici.");
        }

        var zone = NormalizeZone(ticket.Zone) ?? category?.ZoneHint;
        var reprise = college.ZaRepriseDate;
        var zaTakenOver = reprise is { } day && day <= ticketDay;
        return zone switch
        {
            Zones.Pedagogique when college.CiteMixte => new Route(RouteTargets.Region, null, null, "R3",
                "Votre collège est une cité mixte : le matériel pédagogique y est maintenu par la Région, à qui vous devez vous adresser. "
                + "Votre demande reste enregistrée ici."),
            Zones.Pedagogique => new Route(RouteTargets.Infogerant, _options.InfogerantTool, null, "R4",
                $"Le matériel pédagogique est maintenu par le Département : votre demande est transmise à {InfogerantName()}."),
            Zones.Administrative when zaTakenOver && code == CategoryCodes.ApplicationMetierEn => new Route(RouteTargets.Pass, ExternalTools.Pass, null, "R5",
                $"La zone administrative de votre collège a été reprise par le Département le {FrenchDate(reprise!.Value)}, mais les applications "
                + "nationales (SIECLE, STS-web, Op@le…) restent gérées par le Rectorat : votre demande lui est transmise (PASS)."),
            Zones.Administrative when zaTakenOver => new Route(RouteTargets.Infogerant, _options.InfogerantTool, null, "R6",
                $"La zone administrative de votre collège a été reprise par le Département le {FrenchDate(reprise!.Value)} : "
                + $"votre demande est transmise à {InfogerantName()}."),
            Zones.Administrative => new Route(RouteTargets.Pass, ExternalTools.Pass, null, "R7",
                "La zone administrative de votre collège n'a pas encore été reprise par le Département : "
                + "votre demande est transmise au Rectorat (PASS)."
                + (reprise is { } planned ? $" La reprise est prévue le {FrenchDate(planned)}." : "")),
            _ => new Route(RouteTargets.Triage, null, null, "R8",
                "Nous ne pouvons pas savoir si votre demande concerne le matériel pédagogique ou administratif : "
                + "un agent du Pôle TIE va l'orienter."),
        };
    }

    /// <summary>DAT amiante: a VPI installation or move (a request, not an incident) in a building from before 1997.</summary>
    private static bool NeedsAsbestosSurvey(TicketDetails ticket, College college) =>
        string.Equals(CategoryCatalog.Find(ticket.Category)?.Code, CategoryCodes.Vpi, StringComparison.Ordinal)
        && string.Equals(ticket.Type, "request", StringComparison.OrdinalIgnoreCase)
        && college.BuiltYear < AsbestosSurveyBefore;

    private static string? NormalizeZone(string? zone) => zone?.Trim().ToUpperInvariant() switch
    {
        Zones.Pedagogique => Zones.Pedagogique,
        Zones.Administrative => Zones.Administrative,
        _ => null,
    };

    private string InfogerantName() => _options.InfogerantTool switch
    {
        ExternalTools.Itop => "l'infogérant du Département (iTop)",
        _ => "l'infogérant du Département (GLPI)",
    };

    private static string FrenchDate(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private RouteDecision Decision(Route route, IReadOnlyList<string> flags) =>
        new(route.Target, route.Tool, route.Queue, route.Rule, _options.RuleSetVersion, route.Explanation, flags);

    private sealed record Route(string Target, string? Tool, string? Queue, string Rule, string Explanation);
}
