namespace TicketHub.Contracts;

/// <summary>Where a ticket goes and why.</summary>
/// <param name="Target">One of <see cref="RouteTargets"/>.</param>
/// <param name="Tool">One of <see cref="ExternalTools"/>, or null when no external ticket is made.</param>
/// <param name="Queue">Group or queue inside the tool (e.g. the UT for Omère), or null.</param>
/// <param name="Rule">Id of the rule that fired (R1..R8, or MANUAL after a re-route).</param>
/// <param name="RuleSetVersion">Version of the rule set that decided.</param>
/// <param name="Explanation">A sentence a collège secretary understands, in French.</param>
/// <param name="Flags">Flags that do not change the route (e.g. <c>dat-amiante</c>).</param>
public sealed record RouteDecision(
    string Target,
    string? Tool,
    string? Queue,
    string Rule,
    string RuleSetVersion,
    string Explanation,
    IReadOnlyList<string> Flags);
