using System.Globalization;
using System.Text;
using TicketHub.Classifier.Registry;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Routing;

/// <summary>
/// A département's routing rules, read from its file by <see cref="RuleSetLoader"/> (format:
/// <c>deploy/rulesets/README.md</c>) and immutable afterwards. <see cref="RoutingPolicy"/> applies it.
/// </summary>
public sealed class RuleSet
{
    private readonly Dictionary<string, int> _categoryIndex;

    internal RuleSet(
        string departementCode,
        string departementName,
        string version,
        TimeZoneInfo timeZone,
        string infogerantTool,
        IReadOnlyList<Category> categories,
        IReadOnlyList<Rule> rules,
        IReadOnlyList<FlagRule> flags,
        IReadOnlyDictionary<string, string>? contacts = null,
        double? suggestedZoneThreshold = null)
    {
        SuggestedZoneThreshold = suggestedZoneThreshold;
        // A rule's category list is a 64-bit mask (Condition.Categories).
        ArgumentOutOfRangeException.ThrowIfGreaterThan(categories.Count, 64, nameof(categories));
        DepartementCode = departementCode;
        DepartementName = departementName;
        Version = version;
        TimeZone = timeZone;
        InfogerantTool = infogerantTool;
        Categories = categories;
        Rules = [.. rules];
        Flags = [.. flags];
        Contacts = new Dictionary<string, string>(contacts ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        _categoryIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < categories.Count; i++)
        {
            _categoryIndex[categories[i].Code] = i;
        }
    }

    public string DepartementCode { get; }

    public string DepartementName { get; }

    /// <summary>Recorded on every decision (<see cref="RouteDecision.RuleSetVersion"/>).</summary>
    public string Version { get; }

    /// <summary>The day of a ticket, compared with a ZA reprise date, is the day in this zone.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary><c>glpi</c> or <c>itop</c>: the file's, or <c>Routing:InfogerantTool</c> when set.</summary>
    public string InfogerantTool { get; }

    /// <summary>Every code of <see cref="CategoryCodes.All"/>, in the file's order: what the intake form offers.</summary>
    public IReadOnlyList<Category> Categories { get; }

    /// <summary>
    /// The confidence (0 to 1) at or above which a zone suggested from the ticket's text is used when
    /// the requester did not know it (<c>suggestions.zoneThreshold</c>, a percentage in the file); null:
    /// suggestions never route.
    /// </summary>
    public double? SuggestedZoneThreshold { get; }

    /// <summary>Links and phone numbers the explanations cite (<c>{contact:nom}</c>), by name.</summary>
    public IReadOnlyDictionary<string, string> Contacts { get; }

    /// <summary>In the order they are tried; the first that matches decides.</summary>
    internal Rule[] Rules { get; }

    /// <summary>All are tried; each that matches adds its flag and its warning.</summary>
    internal FlagRule[] Flags { get; }

    /// <summary>
    /// The tool a ticket sent to <paramref name="target"/> goes to when nothing says otherwise: the
    /// infogérant's for <c>infogerant</c>, PASS, Omère; null for targets with no external ticket.
    /// </summary>
    public string? DefaultTool(string target) => target switch
    {
        RouteTargets.Infogerant => InfogerantTool,
        RouteTargets.Pass => ExternalTools.Pass,
        RouteTargets.Omere => ExternalTools.Omere,
        _ => null,
    };

    /// <summary>Position of <paramref name="code"/> in <see cref="Categories"/>, or -1 for a code the rule set does not know.</summary>
    internal int CategoryIndex(string? code) =>
        code is not null && _categoryIndex.TryGetValue(code.Trim(), out var index) ? index : -1;
}

/// <param name="Code">Stable identifier sent by the intake form (<see cref="CategoryCodes"/>).</param>
/// <param name="Label">What the collège staff read, in French.</param>
/// <param name="ZoneHint">Zone assumed when the requester does not know it; null when the category exists in both.</param>
/// <param name="Building">A building matter whatever the requester ticked (rules' <c>"building": true</c>).</param>
public sealed record Category(string Code, string Label, string? ZoneHint, bool Building);

internal enum Zone
{
    /// <summary>Neither given by the requester nor implied by the category.</summary>
    Unknown,
    Pedagogique,
    Administrative,
}

/// <summary>What the rules look at, worked out once per ticket by <see cref="RoutingPolicy"/>.</summary>
/// <param name="Category">Index in <see cref="RuleSet.Categories"/>, -1 when unknown.</param>
/// <param name="Zone">Given by the requester, else the category's hint.</param>
/// <param name="Building">Category marked <c>building</c>, or the requester said it affects the building.</param>
/// <param name="ZaTakenOver">ZA reprise date on or before the ticket's day.</param>
internal readonly record struct Facts(string Uai, College? College, int Category, Zone Zone, bool Building, bool ZaTakenOver, string Type);

/// <summary>
/// Every field set must hold. Conditions on the collège (<see cref="CiteMixte"/>, <see cref="ZaTakenOver"/>,
/// <see cref="BuiltBefore"/>) never hold for a collège missing from the registry.
/// </summary>
internal sealed class Condition
{
    public bool? CollegeKnown { get; init; }

    public bool? Building { get; init; }

    /// <summary>Bit i set: category i of the rule set is listed; 0: any category.</summary>
    public ulong Categories { get; init; }

    public Zone? Zone { get; init; }

    public bool? CiteMixte { get; init; }

    public bool? ZaTakenOver { get; init; }

    public string? Type { get; init; }

    public int? BuiltBefore { get; init; }

    public bool IsEmpty =>
        CollegeKnown is null && Building is null && Categories == 0 && Zone is null
        && CiteMixte is null && ZaTakenOver is null && Type is null && BuiltBefore is null;

    public bool Matches(in Facts facts)
    {
        var college = facts.College;
        return (CollegeKnown is not { } known || known == college is not null)
            && (Building is not { } building || building == facts.Building)
            && (Categories == 0 || (facts.Category >= 0 && (Categories & (1UL << facts.Category)) != 0))
            && (Zone is not { } zone || zone == facts.Zone)
            && (CiteMixte is not { } citeMixte || (college is not null && college.CiteMixte == citeMixte))
            && (ZaTakenOver is not { } takenOver || (college is not null && facts.ZaTakenOver == takenOver))
            && (Type is null || string.Equals(Type, facts.Type, StringComparison.OrdinalIgnoreCase))
            && (BuiltBefore is not { } year || college?.BuiltYear < year);
    }
}

/// <param name="Line">Line of its id in the file, for validation messages.</param>
/// <param name="Tool">Resolved when loading: the infogérant's tool is known by then.</param>
/// <param name="QueueText">The queue as the file writes it (<c>{ut}</c>), for <c>GET /api/v1/ruleset</c>.</param>
internal sealed record Rule(string Id, int Line, Condition When, string Target, string? Tool, Template? Queue, Sentences Explanation, string? QueueText = null);

internal sealed record FlagRule(string Flag, int Line, Condition When, Sentences Warning);

/// <summary>Values a template takes from the ticket and its collège; the others are resolved when loading.</summary>
internal enum Placeholder
{
    Uai,
    College,
    Commune,
    Ut,
    RepriseDate,
}

/// <summary>A text with placeholders, split once when loading into literal and placeholder parts.</summary>
internal sealed class Template(IReadOnlyList<Template.Part> parts)
{
    private readonly Part[] _parts = [.. parts];

    /// <summary>The text when it has no placeholder, else null.</summary>
    public string? Literal => _parts switch
    {
        [] => "",
        [{ Literal: { } literal }] => literal,
        _ => null,
    };

    /// <summary>The first placeholder with no value for <paramref name="facts"/>, or null if the text is complete.</summary>
    public Placeholder? Missing(in Facts facts)
    {
        foreach (var part in _parts)
        {
            if (part.Literal is null && Value(part.Placeholder, facts) is null)
            {
                return part.Placeholder;
            }
        }

        return null;
    }

    /// <summary>Appends the text; false (with part of it appended) when a placeholder has no value.</summary>
    public bool TryAppend(StringBuilder text, in Facts facts)
    {
        foreach (var part in _parts)
        {
            var value = part.Literal ?? Value(part.Placeholder, facts);
            if (value is null)
            {
                return false;
            }

            text.Append(value);
        }

        return true;
    }

    public string? Render(in Facts facts)
    {
        if (Literal is { } literal)
        {
            return literal;
        }

        var text = new StringBuilder();
        return TryAppend(text, facts) ? text.ToString() : null;
    }

    private static string? Value(Placeholder placeholder, in Facts facts) => placeholder switch
    {
        Placeholder.Uai => facts.Uai,
        Placeholder.College => facts.College?.Name,
        Placeholder.Commune => facts.College?.Commune,
        Placeholder.Ut => facts.College?.Ut,
        Placeholder.RepriseDate => facts.College?.ZaRepriseDate?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>A literal text, or (when <see cref="Literal"/> is null) a placeholder.</summary>
    internal readonly record struct Part(string? Literal, Placeholder Placeholder);
}

/// <summary>
/// Sentences joined by a space. The first is always complete (checked when loading); a later one
/// with a placeholder that has no value for the ticket (a reprise date the collège does not have) is
/// left out.
/// </summary>
internal sealed class Sentences
{
    private readonly Template[] _sentences;

    /// <param name="texts">The sentences as the file writes them, placeholders included (<c>GET /api/v1/ruleset</c> shows them).</param>
    public Sentences(IReadOnlyList<Template> sentences, IReadOnlyList<string>? texts = null)
    {
        _sentences = [.. sentences];
        Texts = texts ?? [];
        Literal = _sentences.All(sentence => sentence.Literal is not null) ? string.Join(' ', _sentences.Select(sentence => sentence.Literal)) : null;
    }

    public Template First => _sentences[0];

    /// <summary>The sentences as written in the file, placeholders included.</summary>
    public IReadOnlyList<string> Texts { get; }

    /// <summary>The whole text when no sentence has a placeholder (most rules): no need to build it per ticket.</summary>
    public string? Literal { get; }

    public void AppendTo(StringBuilder text, in Facts facts)
    {
        foreach (var sentence in _sentences)
        {
            var mark = text.Length;
            if (mark > 0)
            {
                text.Append(' ');
            }

            if (!sentence.TryAppend(text, facts))
            {
                text.Length = mark;
            }
        }
    }
}
