namespace TicketHub.Contracts;

/// <summary>The registry's view of the collège at the time of routing.</summary>
public sealed record CollegeSnapshot(string Uai, string Name, string Commune, string Ut);
