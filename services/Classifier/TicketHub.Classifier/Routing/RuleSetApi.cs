using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Classifier.Routing;

/// <summary>
/// <c>GET /api/v1/ruleset</c>: the rule set in force, as its file says it (rules in the order they are
/// tried, their conditions, their explanations with placeholders, the contacts they cite), with the
/// infogérant's tool actually used. Read by every role but <c>college</c>: the Pôle TIE and the
/// administrators check it, the teams that receive the tickets see why they receive them.
/// </summary>
public static class RuleSetApi
{
    public static IEndpointRouteBuilder MapRuleSetApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/ruleset", Describe)
            .WithTags("Règles")
            .RequireHubRoles(HubRoles.Dispatcher, HubRoles.Admin, HubRoles.Infogerant, HubRoles.Rectorat, HubRoles.Omere);
        return app;
    }

    private static Ok<RuleSetView> Describe(RuleSet ruleSet) => TypedResults.Ok(RuleSetView.Of(ruleSet));
}

public sealed record RuleSetView(
    DepartementView Departement,
    string Version,
    string TimeZone,
    string InfogerantTool,
    IReadOnlyDictionary<string, string> Contacts,
    IReadOnlyList<Category> Categories,
    IReadOnlyList<RuleView> Rules,
    IReadOnlyList<FlagView> Flags)
{
    public static RuleSetView Of(RuleSet ruleSet) => new(
        new DepartementView(ruleSet.DepartementCode, ruleSet.DepartementName),
        ruleSet.Version,
        ruleSet.TimeZone.Id,
        ruleSet.InfogerantTool,
        ruleSet.Contacts,
        ruleSet.Categories,
        [.. ruleSet.Rules.Select(rule => new RuleView(rule.Id, ConditionView.Of(rule.When, ruleSet), rule.Target, rule.Tool, rule.QueueText, rule.Explanation.Texts))],
        [.. ruleSet.Flags.Select(flag => new FlagView(flag.Flag, ConditionView.Of(flag.When, ruleSet), flag.Warning.Texts))]);
}

public sealed record DepartementView(string Code, string Name);

/// <param name="Tool">The tool the rule sends to, the infogérant's resolved (<c>glpi</c> or <c>itop</c>); null for a target without one.</param>
/// <param name="Queue">As the file writes it (<c>{ut}</c>: the collège's unité territoriale).</param>
/// <param name="Explanation">The sentences as the file writes them; placeholders are filled per ticket.</param>
public sealed record RuleView(string Id, ConditionView When, string Target, string? Tool, string? Queue, IReadOnlyList<string> Explanation);

public sealed record FlagView(string Flag, ConditionView When, IReadOnlyList<string> Warning);

/// <summary>A rule's conditions, in the file's words; a condition not set is left out (an empty object: every ticket).</summary>
public sealed record ConditionView(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? College,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Building,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Category,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Zone,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? CiteMixte,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ZaTakenOver,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? BuiltBefore)
{
    internal static ConditionView Of(Condition condition, RuleSet ruleSet) => new(
        condition.CollegeKnown switch { true => "known", false => "unknown", null => null },
        condition.Building,
        condition.Categories == 0
            ? null
            : [.. ruleSet.Categories.Where((_, index) => (condition.Categories & (1UL << index)) != 0).Select(category => category.Code)],
        condition.Zone switch
        {
            null => null,
            Routing.Zone.Pedagogique => Zones.Pedagogique,
            Routing.Zone.Administrative => Zones.Administrative,
            _ => "unknown",
        },
        condition.CiteMixte,
        condition.ZaTakenOver,
        condition.Type,
        condition.BuiltBefore);
}
