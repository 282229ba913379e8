namespace TicketHub.Portal.Services;

// Intake's answers as the portal reads them. Fields the portal does not show are left out;
// fields added by later versions are ignored.

public sealed record TicketAccepted(Guid Id, string Reference, string Status);

public sealed record TicketView(
    Guid Id,
    string Reference,
    string Status,
    string CollegeUai,
    string? CollegeName,
    string? Ut,
    RequesterView? Requester,
    string? Zone,
    string Category,
    string? Type,
    bool BuildingImpact,
    string Title,
    string Description,
    string? Urgency,
    string? Location,
    string? Equipment,
    RouteView? Route,
    IReadOnlyList<string>? Flags,
    ExternalView? External,
    string? FailureReason,
    IReadOnlyList<TimelineEntry>? Timeline,
    IReadOnlyList<AttachmentView>? Attachments,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? FailureDetail = null,
    IReadOnlyList<FollowerView>? Followers = null,
    string? DuplicateOf = null);

/// <summary>Someone following the ticket besides its requester: <c>reported</c> the same fault, or requester of a <c>duplicate</c>.</summary>
public sealed record FollowerView(string Name, string Reason, DateTimeOffset Since);

public sealed record RequesterView(string Name, string Email, string? Phone);

public sealed record RouteView(string Target, string? Tool, string? Queue, string? Rule, string? RuleSetVersion, string Explanation);

public sealed record ExternalView(string Tool, string Id, string? Url);

public sealed record AttachmentView(Guid Id, string FileName, string ContentType, long Size);

/// <summary>Kind: <c>status</c>, <c>reply</c> (from the team working the ticket), <c>comment</c> (from the collège) or <c>visit</c> (the infogérant's technician, on site).</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string? Status, string? Text, string? Author, string? AuthorRole)
{
    /// <summary>The files a comment brought; null when none.</summary>
    public IReadOnlyList<AttachmentView>? Attachments { get; init; }

    /// <summary>For a <c>visit</c>, the day the technician came.</summary>
    public DateOnly? VisitedOn { get; init; }
}

public sealed record TicketSummary(
    Guid Id,
    string Reference,
    string Status,
    string CollegeUai,
    string? CollegeName,
    string? Ut,
    string Title,
    string Category,
    string? Urgency,
    string? Target,
    string? Tool,
    string? Queue,
    ExternalView? External,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One page of a list; <see cref="Next"/> is the <c>after</c> of the following page.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>The filters of <c>GET /api/v1/tickets</c>.</summary>
public sealed record TicketQuery(string? Status = null, string? CollegeUai = null, string? Target = null, string? Tool = null, string? Ut = null, int Limit = 20, string? After = null);

public sealed record TriageItem(Guid Id, string Reference, string CollegeUai, string Title, string Category, string? Zone,
    string? Rule, string? Why, DateTimeOffset CreatedAt, DateTimeOffset WaitingSince);

public sealed record RelayItem(
    Guid ItemId,
    Guid TicketId,
    string Reference,
    string CollegeUai,
    string TicketStatus,
    string Tool,
    string Kind,
    string? Queue,
    string Subject,
    string Body,
    string? ExternalId,
    DateTimeOffset RequestedAt,
    string State);

public sealed record DeadLetter(
    Guid Id,
    string Service,
    string Queue,
    string MessageType,
    Guid? TicketId,
    string? Reference,
    string Reason,
    int Attempts,
    DateTimeOffset FirstFailedAt,
    DateTimeOffset LastFailedAt,
    string State);

/// <summary>What the portal sends to <c>POST /api/v1/tickets</c> (the <c>ticket</c> part when there are attachments).</summary>
public sealed record TicketSubmission(
    string CollegeUai,
    RequesterSubmission Requester,
    string? Zone,
    string Category,
    string Type,
    bool BuildingImpact,
    string Title,
    string Description,
    string Urgency,
    string? Location);

public sealed record RequesterSubmission(string Name, string Email, string? Phone);

/// <summary>A file chosen in the form, on its way to intake.</summary>
public sealed record UploadedFile(string FileName, string? ContentType, long Length, Func<Stream> Open);

public sealed record RerouteSubmission(string Target, string? Tool, string? Queue, string Reason);

/// <summary>
/// What the portal sends to <c>POST /api/v1/tickets/{id}/external-updates</c>: a status, a reply, or
/// both. <see cref="AuthorName"/> is who wrote the reply in the tool (intake signs it with the tool's
/// name when absent); who reported it is the token's user.
/// </summary>
public sealed record ExternalUpdateSubmission(string? Status, string? Reply, string? AuthorName);

/// <summary>What an address receives: <c>immediate</c>, <c>needs-answer</c> or <c>none</c>; <see cref="Bounced"/> when its mail server refused it for good.</summary>
public sealed record NotificationPreference(string Email, string Mode, bool Bounced);

/// <summary><c>GET /api/v1/indicators</c>, as the portal shows it (definitions: docs/indicators.md).</summary>
public sealed record IndicatorsView(
    DateOnly From,
    DateOnly To,
    IndicatorsVolumes Volumes,
    IndicatorsTriage Triage,
    IndicatorsReroutes Reroutes,
    IReadOnlyList<IndicatorsDelay> Delays,
    IndicatorsShare Reopened,
    IndicatorsBacklog Backlog,
    IndicatorsFailures Failures)
{
    /// <summary>The infogérant's visits of the period; null for the Rectorat and the building service.</summary>
    public IndicatorsVisits? Visits { get; init; }
}

public sealed record IndicatorsVisits(int Count, int Colleges, IReadOnlyList<IndicatorsCount> ByCollege);

public sealed record IndicatorsShare(int Count, int Of, double? Rate);

public sealed record IndicatorsCount(string Key, int Count);

public sealed record IndicatorsVolumes(int Received, IReadOnlyList<IndicatorsCount> ByTarget, IReadOnlyList<IndicatorsCount> ByRule);

public sealed record IndicatorsDelaySummary(int Count, double? MedianHours, double? P90Hours);

public sealed record IndicatorsTriage(IndicatorsShare Sent, int StillThere, IndicatorsDelaySummary Time);

public sealed record IndicatorsRerouteRate(string Rule, int Routed, int Rerouted, double? Rate);

public sealed record IndicatorsReroutes(IndicatorsShare Rerouted, IReadOnlyList<IndicatorsRerouteRate> ByRule);

public sealed record IndicatorsDelay(string Step, string Label, IndicatorsDelaySummary Calendar, IndicatorsDelaySummary Working);

public sealed record IndicatorsBacklog(int Open, IReadOnlyList<IndicatorsCount> ByAge, int WaitingForCollege, int Failed);

public sealed record IndicatorsFailures(int AttachmentsRefused, int Failed, int? DeadLetters);

/// <summary>The indicators' period and filters as the page's form sends them (each null when not given).</summary>
public sealed record IndicatorsQuery(string? From, string? To, string? Ut, string? CollegeUai, string? Zone, string? Target, string? Tool);

/// <summary><c>GET /api/v1/visits/sheet</c>: per collège, what the infogérant's technician works on, confirms and sees on site.</summary>
public sealed record VisitSheetView(DateTimeOffset At, DateOnly Today, IReadOnlyList<CollegeSheetView> Colleges);

public sealed record CollegeSheetView(string Uai, string? Name, string? Ut, VisitView? LastVisit, DateOnly ResolvedSince,
    IReadOnlyList<SheetTicketView> ForInfogerant, IReadOnlyList<SheetTicketView> RecentlyResolved, IReadOnlyList<SheetTicketView> OtherTeams);

public sealed record SheetTicketView(Guid Id, string Reference, string Title, string Category, string? Location, string Urgency, string Status,
    string? Target, string? Tool, string? ExternalId, string? ExternalUrl, DateTimeOffset CreatedAt, int AgeDays, LastExchangeView? LastExchange,
    DateTimeOffset? ResolvedAt);

public sealed record LastExchangeView(DateTimeOffset At, bool FromCollege, string? Author);

/// <summary>A recorded visit (<c>PUT /api/v1/visits/{id}</c>'s answer).</summary>
public sealed record VisitView(Guid Id, string CollegeUai, DateOnly VisitedOn, string Technician, DateTimeOffset RecordedAt, IReadOnlyList<VisitNoteView> Notes);

public sealed record VisitNoteView(Guid TicketId, string Reference, Guid CommentId, string Text, bool SentToTool);

/// <summary>What the sheet's form sends for one collège.</summary>
public sealed record VisitSubmission(string CollegeUai, string? Ut, string? VisitedOn, string? Technician, IReadOnlyList<VisitNoteSubmission> Notes);

public sealed record VisitNoteSubmission(Guid Ticket, string Text);
