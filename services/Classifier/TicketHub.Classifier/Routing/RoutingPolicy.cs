using System.Text;
using TicketHub.Classifier.Registry;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Routing;

/// <summary>
/// Decides where a ticket goes by applying the département's <see cref="RuleSet"/>: the first rule
/// whose conditions hold gives the route and the explanation, then every flag whose conditions hold
/// is added with its warning. Pure: no clock, no database, no bus.
/// </summary>
public sealed class RoutingPolicy(RuleSet ruleSet)
{
    public RuleSet RuleSet => ruleSet;

    /// <param name="createdAt">When the ticket was submitted; its day in the rule set's time zone is compared with the ZA reprise date.</param>
    /// <param name="college">The registry's entry, or null when the collège is unknown.</param>
    public RouteDecision Decide(TicketDetails ticket, DateTimeOffset createdAt, College? college)
    {
        var facts = Observe(ticket, createdAt, college);
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
        return new RouteDecision(rule.Target, rule.Tool, rule.Queue?.Render(facts), rule.Id, ruleSet.Version, text, flags);
    }

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
