namespace TicketHub.Contracts;

public static class RouteTargets
{
    public const string Infogerant = "infogerant";
    public const string Pass = "pass";
    public const string Omere = "omere";
    public const string Region = "region";
    public const string EntAssistance = "ent-assistance";
    public const string Triage = "triage";

    /// <summary>Every target, as the API's filters take them.</summary>
    public static IReadOnlyList<string> All { get; } = [Infogerant, Pass, Omere, Region, EntAssistance, Triage];

    /// <summary>How a destination is named to a collège, in French ("vers {name}").</summary>
    public static string FrenchName(string target) => target switch
    {
        Infogerant => "l'infogérant du Département",
        Pass => "le Rectorat (PASS)",
        Omere => "le service des bâtiments (Omère)",
        Region => "la Région",
        EntAssistance => "l'assistance ENT",
        Triage => "le Pôle TIE, qui l'orientera",
        _ => target,
    };
}
