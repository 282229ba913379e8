using TicketHub.Intake.Followers;

namespace TicketHub.Intake.Tickets;

/// <summary>The answer to <c>POST /api/v1/tickets</c>.</summary>
public sealed record TicketAccepted(Guid Id, string Reference, string Status);

/// <summary>The answer to <c>GET /api/v1/tickets/{id}</c>.</summary>
/// <param name="CollegeName">The collège's name in the registry, known once the ticket is routed (null before, or for a collège absent from the registry).</param>
/// <param name="Ut">The collège's unité territoriale (UT1..UT4), known like <paramref name="CollegeName"/>.</param>
/// <param name="Followers">The people following the ticket besides its requester (issue 16).</param>
/// <param name="DuplicateOf">The reference of the ticket this one was closed as a duplicate of, or null.</param>
public sealed record TicketView(
    Guid Id,
    string Reference,
    string Status,
    string CollegeUai,
    string? CollegeName,
    string? Ut,
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
    IReadOnlyList<AttachmentView> Attachments,
    string? FailureReason,
    string? FailureDetail,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<TimelineEntry> Timeline,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<FollowerView> Followers,
    string? DuplicateOf);

public sealed record RequesterView(string Name, string Email, string? Phone);

public sealed record RouteView(string Target, string? Tool, string? Queue, string Rule, string? RuleSetVersion, string Explanation);

public sealed record ExternalView(string Tool, string Id, string? Url);

public sealed record HistoryEntry(string Status, DateTimeOffset At, string? Note);

/// <summary>
/// One event of a ticket's life, as a collège reads it: a status change (<c>status</c>), a reply
/// from the team working it (<c>reply</c>), information the collège added (<c>comment</c>), what the
/// infogérant's technician did on site during a visit (<c>visit</c>), or a
/// file that did not reach the tool (<c>attachment-not-delivered</c>, its text says which, where
/// and why).
/// </summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string? Status, string? Text, string? Author, string? AuthorRole)
{
    /// <summary>The files a comment brought (from the ticket's page or a reply by e-mail); null when none.</summary>
    public IReadOnlyList<AttachmentView>? Attachments { get; init; }

    /// <summary>For a <c>visit</c> entry (what the infogérant's technician did on site), the day of the visit.</summary>
    public DateOnly? VisitedOn { get; init; }
}

/// <summary>A file sent with the ticket; its bytes are at <c>GET /api/v1/tickets/{id}/attachments/{attachmentId}</c>.</summary>
public sealed record AttachmentView(Guid Id, string FileName, string ContentType, long Size);

/// <summary>One line of <c>GET /api/v1/tickets</c>.</summary>
public sealed record TicketSummary(
    Guid Id,
    string Reference,
    string Status,
    string CollegeUai,
    string? CollegeName,
    string? Ut,
    string Title,
    string Category,
    string Urgency,
    string? Target,
    string? Tool,
    string? Queue,
    ExternalView? External,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The filters of <c>GET /api/v1/tickets</c>, each null when not given.</summary>
public sealed record TicketFilter(string? Status, string? CollegeUai, string? Target, string? Tool, string? Ut);
