using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tickets;

/// <summary>
/// Which tickets a user may see (read, list, attachments) and how a refusal is worded.
/// <list type="bullet">
/// <item>college: its own collège's tickets (<see cref="HubUser.Uai"/>);</item>
/// <item>infogerant, rectorat, omere: tickets routed to their target (infogerant, pass, omere);</item>
/// <item>dispatcher, admin: every ticket.</item>
/// </list>
/// A collège asking for another collège's ticket or for a ticket that does not exist gets the same
/// 403 (<see cref="HiddenDetail"/>): the answer never tells whether the ticket exists. The other
/// roles work across collèges and get 404 for a missing ticket, 403 for one outside their scope.
/// </summary>
public static class TicketAccess
{
    /// <summary>The one answer a collège gets for a ticket it may not see, whether or not it exists.</summary>
    public const string HiddenDetail = "Aucune demande de votre collège ne porte cet identifiant.";

    public const string NotFoundDetail = "Aucune demande ne porte cet identifiant.";

    /// <summary>The route target a role is limited to; null for the roles not limited by target.</summary>
    public static string? TargetOf(HubUser user) => user.Role switch
    {
        HubRoles.Infogerant => RouteTargets.Infogerant,
        HubRoles.Rectorat => RouteTargets.Pass,
        HubRoles.Omere => RouteTargets.Omere,
        _ => null,
    };

    public static bool CanRead(HubUser user, TicketScope ticket) => user.Role switch
    {
        HubRoles.College => string.Equals(ticket.CollegeUai, user.Uai, StringComparison.Ordinal),
        HubRoles.Dispatcher or HubRoles.Admin => true,
        _ => ticket.RouteTarget is not null && ticket.RouteTarget == TargetOf(user),
    };

    /// <summary>The refusal for a missing (null) or out-of-scope ticket; null when <paramref name="user"/> may see it.</summary>
    public static ProblemHttpResult? Refusal(HubUser user, TicketScope? ticket)
    {
        if (ticket is { } found && CanRead(user, found))
        {
            return null;
        }

        if (user.IsCollege)
        {
            return Hidden();
        }

        return ticket is null
            ? Problems.Of(StatusCodes.Status404NotFound, NotFoundDetail)
            : Problems.Of(StatusCodes.Status403Forbidden, OutOfScopeDetail(user));
    }

    /// <summary>
    /// The ticket as <paramref name="user"/> reads it: a collège gets the failure in plain French, never
    /// the tool's or the service's own words (codes, exception text), which are for the operators.
    /// </summary>
    public static TicketView ForReader(HubUser user, TicketView ticket) => user.IsCollege ? ticket with { FailureDetail = null } : ticket;

    /// <summary>The collège's 403 for a ticket it may not see, whether or not it exists.</summary>
    public static ProblemHttpResult Hidden() => Problems.Of(StatusCodes.Status403Forbidden, HiddenDetail);

    private static string OutOfScopeDetail(HubUser user) => TargetOf(user) is { } target
        ? $"Cette demande n'est pas dans votre périmètre : vous voyez les demandes orientées vers {RouteTargets.FrenchName(target)}."
        : "Cette demande n'est pas dans votre périmètre.";
}

/// <summary>What decides who may see a ticket: its collège and where it is routed.</summary>
public readonly record struct TicketScope(string CollegeUai, string? RouteTarget)
{
    public static TicketScope Of(TicketView ticket) => new(ticket.CollegeUai, ticket.Route?.Target);
}
