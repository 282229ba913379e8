namespace TicketHub.Intake.Visits;

/// <summary>
/// The infogérant's visit sheet (<c>GET /api/v1/visits/sheet</c>): for each collège asked, what to do
/// and see on site. The building's context (year, DAT amiante) is the registry's: the portal adds it.
/// </summary>
public sealed record VisitSheet(DateTimeOffset At, DateOnly Today, IReadOnlyList<CollegeSheet> Colleges);

/// <param name="LastVisit">The collège's last recorded visit, or null.</param>
/// <param name="ResolvedSince">The first day of <see cref="RecentlyResolved"/>: the last visit's, else <see cref="VisitStore.ResolvedDays"/> days back.</param>
/// <param name="ForInfogerant">The infogérant's open tickets of the collège, oldest first: to work on site.</param>
/// <param name="RecentlyResolved">The infogérant's tickets resolved or closed since <see cref="ResolvedSince"/>, but for those the last visit already noted: to confirm on site.</param>
/// <param name="OtherTeams">The other teams' open tickets (and those awaiting triage), for information only.</param>
public sealed record CollegeSheet(
    string Uai,
    string? Name,
    string? Ut,
    VisitSummary? LastVisit,
    DateOnly ResolvedSince,
    IReadOnlyList<SheetTicket> ForInfogerant,
    IReadOnlyList<SheetTicket> RecentlyResolved,
    IReadOnlyList<SheetTicket> OtherTeams);

/// <summary>One ticket on the sheet: what a technician needs at a glance, and its number in the team's tool.</summary>
/// <param name="AgeDays">Whole calendar days since the hub received it.</param>
/// <param name="LastExchange">The ticket's last message, either way (the collège's or the team's), or null when none.</param>
/// <param name="ResolvedAt">When it was last resolved or closed; null while open.</param>
public sealed record SheetTicket(
    Guid Id,
    string Reference,
    string Title,
    string Category,
    string? Location,
    string Urgency,
    string Status,
    string? Target,
    string? Tool,
    string? ExternalId,
    string? ExternalUrl,
    DateTimeOffset CreatedAt,
    int AgeDays,
    LastExchange? LastExchange,
    DateTimeOffset? ResolvedAt);

/// <param name="FromCollege">True when the collège wrote it (or the hub for it), false when the team did.</param>
public sealed record LastExchange(DateTimeOffset At, bool FromCollege, string? Author);

/// <summary>A recorded visit: its day and technician, and the tickets it left a note on.</summary>
public sealed record VisitSummary(Guid Id, string CollegeUai, DateOnly VisitedOn, string Technician, DateTimeOffset RecordedAt, IReadOnlyList<VisitNoteView> Notes);

/// <summary>What the technician recorded for a ticket: a comment of the ticket, sent to its tool.</summary>
public sealed record VisitNoteView(Guid TicketId, string Reference, Guid CommentId, string Text, bool SentToTool);
