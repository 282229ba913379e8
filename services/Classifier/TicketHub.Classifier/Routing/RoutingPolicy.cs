using System.Globalization;
using System.Text;
using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Suggestions;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Routing;

/// <summary>
/// Decides where a ticket goes by applying the département's <see cref="RuleSet"/>: the first rule
/// whose conditions hold gives the route and the explanation, then every flag whose conditions hold
/// is added with its warning. Pure: no clock, no database, no bus.
/// </summary>
/// <remarks>
/// A zone neither given nor implied by the category may come from a <see cref="Suggestion"/> (what
/// the requests that read like this one were about), only at or above
/// <paramref name="suggestedZoneThreshold"/> (the rule set's <c>suggestions.zoneThreshold</c>; null:
/// never), and the explanation then says so. Below it, the rules see an unknown zone, as before.
/// </remarks>
public sealed class RoutingPolicy(RuleSet ruleSet, double? suggestedZoneThreshold)
{
    public RoutingPolicy(RuleSet ruleSet)
        : this(ruleSet, ruleSet.SuggestedZoneThreshold)
    {
    }

    public RuleSet RuleSet => ruleSet;

    /// <summary>Whether a suggestion could change this ticket's route: its zone is neither given nor implied by its category.</summary>
    public bool WouldUseSuggestion(TicketDetails ticket) =>
        suggestedZoneThreshold is not null
        && ParseZone(ticket.Zone) == Zone.Unknown
        && ParseZone(ruleSet.CategoryIndex(ticket.Category) is var i and >= 0 ? ruleSet.Categories[i].ZoneHint : null) == Zone.Unknown;

    /// <param name="createdAt">When the ticket was submitted; its day in the rule set's time zone is compared with the ZA reprise date.</param>
    /// <param name="college">The registry's entry, or null when the collège is unknown.</param>
    /// <param name="suggestion">What the ticket's text suggests (<see cref="RequestSuggester"/>), or null.</param>
    public RouteDecision Decide(TicketDetails ticket, DateTimeOffset createdAt, College? college, Suggestion? suggestion = null)
    {
        var facts = Observe(ticket, createdAt, college);
        var suggested = false;
        if (facts.Zone == Zone.Unknown && suggestion is { Zone: { } zone } && suggestion.ZoneConfidence >= suggestedZoneThreshold
            && ParseZone(zone) is var parsed and not Zone.Unknown)
        {
            facts = facts with { Zone = parsed };
            suggested = true;
        }

        var rule = FirstMatch(facts)
            ?? throw new InvalidOperationException($"No rule of rule set {ruleSet.Version} matches ticket of {ticket.CollegeUai}: the loader's coverage check has a gap.");

        string[] flags = [];
        StringBuilder? explanation = null;
        foreach (var flag in ruleSet.Flags)
        {
            if (flag.When.Matches(facts))
            {
                flags = [.. flags, flag.Flag];
                explanation ??= Explain(rule, facts);
                flag.Warning.AppendTo(explanation, facts);
            }
        }

        var text = explanation?.ToString() ?? rule.Explanation.Literal ?? Explain(rule, facts).ToString();
        if (suggested)
        {
            text = SuggestedZone(facts.Zone, suggestion!.ZoneConfidence) + " " + text;
        }

        return new RouteDecision(rule.Target, rule.Tool, rule.Queue?.Render(facts), rule.Id, ruleSet.Version, text, flags);
    }

    /// <summary>Says where the zone came from, first: the requester did not give it.</summary>
    private static string SuggestedZone(Zone zone, double confidence) => string.Create(CultureInfo.GetCultureInfo("fr-FR"),
        $"Vous n'avez pas indiqué la zone : d'après votre description, la demande concerne {(zone == Zone.Pedagogique ? "la zone pédagogique (salles de classe)" : "la zone administrative (bureaux)")}, comme {confidence:P0} des demandes semblables.");

    private static StringBuilder Explain(Rule rule, in Facts facts)
    {
        var text = new StringBuilder(256);
        rule.Explanation.AppendTo(text, facts);
        return text;
    }

    /// <summary>The calendar day of <paramref name="createdAt"/> in the rule set's time zone (Europe/Paris for Seine-Saint-Denis).</summary>
    public DateOnly TicketDay(DateTimeOffset createdAt) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(createdAt, ruleSet.TimeZone).DateTime);

    internal Facts Observe(TicketDetails ticket, DateTimeOffset createdAt, College? college)
    {
        var category = ruleSet.CategoryIndex(ticket.Category);
        var hint = category >= 0 ? ruleSet.Categories[category] : null;
        var zone = ParseZone(ticket.Zone);
        if (zone == Zone.Unknown)
        {
            zone = ParseZone(hint?.ZoneHint);
        }

        var zaTakenOver = college?.ZaRepriseDate is { } reprise && reprise <= TicketDay(createdAt);
        return new Facts(ticket.CollegeUai, college, category, zone, ticket.BuildingImpact || hint is { Building: true }, zaTakenOver, ticket.Type);
    }

    internal Rule? FirstMatch(in Facts facts)
    {
        foreach (var rule in ruleSet.Rules)
        {
            if (rule.When.Matches(facts))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary><c>ZP</c>, <c>ZA</c> in any case; anything else is unknown.</summary>
    internal static Zone ParseZone(string? zone) => zone?.Trim() switch
    {
        { } z when z.Equals(Zones.Pedagogique, StringComparison.OrdinalIgnoreCase) => Zone.Pedagogique,
        { } z when z.Equals(Zones.Administrative, StringComparison.OrdinalIgnoreCase) => Zone.Administrative,
        _ => Zone.Unknown,
    };
}
