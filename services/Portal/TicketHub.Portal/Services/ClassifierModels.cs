namespace TicketHub.Portal.Services;

// The classifier's answers as the portal reads them.

public sealed record Category(string Code, string Label, string? ZoneHint, bool Building);

public sealed record CollegeView(string Uai, string Name, string Commune, string Ut, bool CiteMixte, DateOnly? ZaRepriseDate, int? BuiltYear, DateTimeOffset? UpdatedAt);

public sealed record ImportSummary(int Imported, int Created, int Updated);
