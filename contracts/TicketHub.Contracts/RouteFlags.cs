namespace TicketHub.Contracts;

/// <summary>Flags a route can carry (<see cref="RouteDecision.Flags"/>); they never change the route.</summary>
public static class RouteFlags
{
    /// <summary>
    /// VPI/ENI installation or move in a collège built before 1997: an asbestos survey (diagnostic
    /// amiante avant travaux) is needed before the work.
    /// </summary>
    public const string DatAmiante = "dat-amiante";
}
