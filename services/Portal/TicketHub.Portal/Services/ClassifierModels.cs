namespace TicketHub.Portal.Services;

// The classifier's answers as the portal reads them.

public sealed record Category(string Code, string Label, string? ZoneHint, bool Building);

public sealed record CollegeView(string Uai, string Name, string Commune, string Ut, bool CiteMixte, DateOnly? ZaRepriseDate, int? BuiltYear, DateTimeOffset? UpdatedAt);

public sealed record ImportSummary(int Imported, int Created, int Updated);

/// <summary>
/// What a request's text suggests (<c>POST /api/v1/suggestions</c>): <see cref="ZoneConfident"/> and
/// <see cref="CategoryConfident"/> say whether each is sure enough to show; <see cref="Similar"/>, the
/// collège's open tickets that read like it.
/// </summary>
public sealed record SuggestionView(string? Zone, double ZoneConfidence, bool ZoneConfident, string? Category, string? CategoryLabel,
    double CategoryConfidence, bool CategoryConfident, double? Threshold, IReadOnlyList<SimilarTicket>? Similar = null);

/// <summary>An open ticket of the collège that reads like the request being written (issue 16).</summary>
public sealed record SimilarTicket(Guid Id, string Reference, string Title, string Category, string? Location, string Status,
    string? RouteTarget, string? Tool, DateTimeOffset CreatedAt, double Likeness);
