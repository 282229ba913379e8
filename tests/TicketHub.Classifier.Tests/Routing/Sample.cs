using TicketHub.Classifier.Registry;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Tests.Routing;

/// <summary>Collèges and tickets for the rule-set tests.</summary>
internal static class Sample
{
    /// <summary>ZA taken over on 2024-01-08, built 1972, UT1.</summary>
    public static readonly College JeanMoulin = new("0931234X", "Collège Jean Moulin", "Aubervilliers", "UT1", false, new DateOnly(2024, 1, 8), 1972);

    public static readonly College NotTakenOver = new("0931235A", "Collège Lucie Aubrac", "Saint-Denis", "UT1", false, null, 2004);

    public static readonly College PlannedIn2027 = new("0932102D", "Collège Louise Michel", "Bobigny", "UT2", false, new DateOnly(2027, 1, 11), 1988);

    public static readonly College CiteMixte = new("0931236B", "Collège Germaine Tillion", "Pantin", "UT4", true, new DateOnly(2023, 11, 6), 1965);

    public static readonly DateTimeOffset In2025 = new(2025, 3, 10, 9, 30, 0, TimeSpan.FromHours(1));

    public static TicketDetails Ticket(string category, string? zone = null, string type = "incident", bool building = false, string uai = "0931234X") =>
        new(uai, new Requester("Marie Dupont", "secretariat@college.example", null), zone, category, type, building,
            "Titre", "Description", "normal", null, null);
}
