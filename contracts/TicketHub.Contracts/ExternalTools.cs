namespace TicketHub.Contracts;

public static class ExternalTools
{
    public const string Glpi = "glpi";
    public const string Itop = "itop";
    public const string Pass = "pass";
    public const string Omere = "omere";

    /// <summary>Every tool, as the API's filters take them.</summary>
    public static IReadOnlyList<string> All { get; } = [Glpi, Itop, Pass, Omere];
}
