namespace TicketHub.Contracts;

public static class RouteTargets
{
    public const string Infogerant = "infogerant";
    public const string Pass = "pass";
    public const string Omere = "omere";
    public const string Region = "region";
    public const string EntAssistance = "ent-assistance";
    public const string Triage = "triage";
}
