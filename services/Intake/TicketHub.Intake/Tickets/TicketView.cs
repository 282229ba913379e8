namespace TicketHub.Intake.Tickets;

/// <summary>The answer to <c>POST /api/v1/tickets</c>.</summary>
public sealed record TicketAccepted(Guid Id, string Reference, string Status);

/// <summary>The answer to <c>GET /api/v1/tickets/{id}</c>.</summary>
public sealed record TicketView(
    Guid Id,
    string Reference,
    string Status,
    string CollegeUai,
    RequesterView Requester,
    string? Zone,
    string Category,
    string Type,
    bool BuildingImpact,
    string Title,
    string Description,
    string Urgency,
    string? Location,
    string? Equipment,
    RouteView? Route,
    IReadOnlyList<string> Flags,
    ExternalView? External,
    string? FailureReason,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<TimelineEntry> Timeline,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record RequesterView(string Name, string Email, string? Phone);

public sealed record RouteView(string Target, string? Tool, string? Queue, string Rule, string? RuleSetVersion, string Explanation);

public sealed record ExternalView(string Tool, string Id, string? Url);

public sealed record HistoryEntry(string Status, DateTimeOffset At, string? Note);

/// <summary>
/// One event of a ticket's life, as a collège reads it: a status change (<c>status</c>), a reply
/// from the team working it (<c>reply</c>), or information the collège added (<c>comment</c>).
/// </summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string? Status, string? Text, string? Author, string? AuthorRole);
