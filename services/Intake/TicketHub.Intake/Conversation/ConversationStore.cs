using Dapper;
using TicketHub.Contracts;
using TicketHub.Intake.Attachments;
using TicketHub.Intake.Notifications;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Conversation;

/// <summary>
/// What happens to a ticket once it is in its tool: status changes and replies coming back, and
/// the information the collège adds, which goes out to the tool.
/// </summary>
public sealed class ConversationStore(UnitOfWork units, IOutbox outbox, TicketLifecycle lifecycle, TicketNotifier notifier, TimeProvider clock)
{
    private const string CountEventSql = "SELECT COUNT(1) FROM external_events WHERE ticket_id = @TicketId AND event_id = @EventId";

    private const string InsertEventSql = "INSERT INTO external_events (ticket_id, event_id, applied_at) VALUES (@TicketId, @EventId, @Now)";

    private const string InsertMessageSql = """
        INSERT INTO ticket_messages (ticket_id, direction, author_role, author_name, text, at, tool, comment_id)
        VALUES (@TicketId, @Direction, @AuthorRole, @AuthorName, @Text, @At, @Tool, @CommentId)
        """;

    /// <summary>
    /// Applies a change seen in the external tool. A reply is added to the timeline once (by its
    /// event id); its status goes through <see cref="TicketLifecycle.ExternalStatusAsync"/> (the tool's
    /// own time decides, reopening included). Updates from a tool the ticket is no longer routed to are ignored.
    /// </summary>
    /// <returns>False when the update was ignored as stale, foreign or already applied.</returns>
    public async Task<bool> ApplyAsync(ExternalTicketUpdated update, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        var state = await TicketLifecycle.ReadStateAsync(update.TicketId, cancellationToken);
        if (state is null || !TicketLifecycle.IsHeardFrom(state, update.Tool))
        {
            return false;
        }

        var applied = false;
        var now = clock.GetUtcNow();
        var eventArgs = new { update.TicketId, EventId = update.ExternalEventId, Now = now };
        if (await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountEventSql, eventArgs, transaction, cancellationToken: cancellationToken)) > 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(InsertEventSql, eventArgs, transaction, cancellationToken: cancellationToken));

        if (!string.IsNullOrWhiteSpace(update.ReplyText))
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertMessageSql, new
            {
                update.TicketId,
                Direction = "in",
                AuthorRole = update.AuthorRole ?? "technician",
                update.AuthorName,
                Text = update.ReplyText,
                At = update.ExternalTimestamp,
                update.Tool,
                CommentId = (Guid?)null,
            }, transaction, cancellationToken: cancellationToken));
            await TicketMilestones.RepliedAsync(update.TicketId, update.ExternalTimestamp, cancellationToken);
            applied = true;
        }

        var reply = string.IsNullOrWhiteSpace(update.ReplyText) ? null : update.ReplyText;
        if (update.Status is { } status
            && await lifecycle.ExternalStatusAsync(update.TicketId, update.Tool, status, update.ExternalTimestamp,
                $"{Capitalize(ToolNames.Of(update.Tool))} : demande {StatusLabel(status)}.", reply, cancellationToken))
        {
            // The status's mail carries the text that came with it (a solution, a question): one mail.
            return true;
        }

        if (applied)
        {
            await notifier.NotifyAsync(update.TicketId, NotificationKinds.Reply, reply, cancellationToken);
        }

        return applied;
    }

    private const string InsertReportSql = """
        INSERT INTO operator_reports (ticket_id, event_id, reported_by, reported_at, tool, status, reply, author_name)
        VALUES (@TicketId, @EventId, @ReportedBy, @ReportedAt, @Tool, @Status, @Reply, @AuthorName)
        """;

    /// <summary>
    /// Applies what an operator saw in a tool the hub cannot read (PASS, Omère) through
    /// <see cref="ApplyAsync"/>, as if the tool had said it now, and keeps who reported it. Only for
    /// a ticket that is in that tool: routed there and forwarded.
    /// </summary>
    public async Task<ReportResult> ReportAsync(string idOrReference, OperatorReport report, string reportedBy, CancellationToken cancellationToken)
    {
        return await units.RunAsync(async () =>
        {
            var transaction = UnitOfWork.Current;
            var connection = transaction.Connection!;
            var ticket = await TicketStore.ReadAsync(connection, transaction, idOrReference, cancellationToken);
            if (ticket is null)
            {
                return ReportResult.NotFound;
            }

            var tool = ticket.Route?.Tool;
            if (tool is not (ExternalTools.Pass or ExternalTools.Omere))
            {
                return ReportResult.Conflict(tool is null
                    ? "Cette demande n'est orientée vers aucun outil : il n'y a rien à signaler pour elle."
                    : $"Cette demande est suivie par {ToolNames.Of(tool)}, dont les changements arrivent d'eux-mêmes : seuls PASS et Omère se signalent à la main.");
            }

            if (ticket.External is not { } external || external.Tool != tool)
            {
                return ReportResult.Conflict(
                    $"Cette demande n'a pas encore été transmise {ToolNames.To(tool)} : confirmez d'abord sa saisie dans la file de saisie manuelle.");
            }

            var now = clock.GetUtcNow();
            var update = new ExternalTicketUpdated(ticket.Id, ticket.Reference, tool, external.Id, report.Status, null, report.Reply,
                "technician", report.AuthorName ?? Capitalize(ToolNames.Of(tool)), now, $"operator:{Guid.NewGuid()}");
            await ApplyAsync(update, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(InsertReportSql, new
            {
                TicketId = ticket.Id,
                EventId = update.ExternalEventId,
                ReportedBy = reportedBy,
                ReportedAt = now,
                Tool = tool,
                report.Status,
                report.Reply,
                report.AuthorName,
            }, transaction, cancellationToken: cancellationToken));

            return ReportResult.Done((await TicketStore.ReadAsync(connection, transaction, ticket.Id.ToString(), cancellationToken))!);
        }, cancellationToken);
    }

    private const string SelectForCommentSql = """
        SELECT id, reference, status, college_uai, external_tool, external_id FROM tickets WHERE id = @Id
        """;

    private const string NextPositionSql = "SELECT COALESCE(MAX(position), -1) + 1 FROM ticket_attachments WHERE ticket_id = @TicketId";

    private const string InsertAttachmentSql = """
        INSERT INTO ticket_attachments (id, ticket_id, position, file_name, content_type, size, sha256, content, created_at, comment_id)
        VALUES (@Id, @TicketId, @Position, @FileName, @ContentType, @Size, @Sha256, @Content, @CreatedAt, @CommentId)
        """;

    /// <summary>
    /// Adds the collège's information, and the files that came with it, to the timeline and sends
    /// them to the tool holding the ticket (<see cref="TicketCommentAdded"/>, through the outbox).
    /// The files become the ticket's like those sent with it: a later re-route takes them along.
    /// </summary>
    /// <param name="authorRole"><c>requester</c> for the collège, else the role of who wrote it (<c>dispatcher</c>, <c>admin</c>).</param>
    /// <param name="files">Files already checked (<see cref="TicketForm.Check"/>), or none.</param>
    public Task<CommentResult> AddCommentAsync(Guid ticketId, string text, string authorName, string authorRole,
        IReadOnlyList<NewAttachment> files, CancellationToken cancellationToken) =>
        AddAsync(ticketId, text, authorName, authorRole, files, null, cancellationToken);

    /// <summary>
    /// What a technician did on site for the ticket during a visit (issue 14): a comment like the
    /// collège's (timeline, tool), said to be the visit's (<see cref="CommentOrigins.OnSiteVisit"/>), and
    /// the collège told by mail (<see cref="NotificationKinds.Visit"/>). Joins the visit's unit of work.
    /// </summary>
    public Task<CommentResult> AddVisitNoteAsync(Guid ticketId, string text, string technician, DateOnly visitedOn, CancellationToken cancellationToken) =>
        AddAsync(ticketId, text, technician, CommentOrigins.OnSiteVisit, [], visitedOn, cancellationToken);

    private async Task<CommentResult> AddAsync(Guid ticketId, string text, string authorName, string authorRole,
        IReadOnlyList<NewAttachment> files, DateOnly? visitedOn, CancellationToken cancellationToken)
    {
        return await units.RunAsync(async () =>
        {
            var transaction = UnitOfWork.Current;
            var connection = transaction.Connection!;
            var ticket = await connection.QuerySingleOrDefaultAsync<CommentTarget>(
                new CommandDefinition(SelectForCommentSql, new { Id = ticketId }, transaction, cancellationToken: cancellationToken));
            if (ticket is null)
            {
                return CommentResult.NotFound;
            }

            if (ticket.Status == HubStatuses.Closed)
            {
                return CommentResult.Closed;
            }

            var comment = new TicketCommentAdded(ticket.Id, ticket.Reference, Guid.CreateVersion7(), text, authorName,
                clock.GetUtcNow(), ticket.ExternalTool, ticket.ExternalId, files.Count == 0 ? null : [.. files.Select(f => f.ToRef())], ticket.CollegeUai,
                OriginOf(authorRole), visitedOn);
            var position = files.Count == 0 ? 0
                : await connection.ExecuteScalarAsync<long>(new CommandDefinition(NextPositionSql, new { TicketId = ticket.Id }, transaction, cancellationToken: cancellationToken));
            foreach (var file in files)
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertAttachmentSql, new
                {
                    file.Id,
                    TicketId = ticket.Id,
                    Position = position++,
                    file.FileName,
                    file.ContentType,
                    Size = file.Content.LongLength,
                    file.Sha256,
                    file.Content,
                    CreatedAt = comment.At,
                    comment.CommentId,
                }, transaction, cancellationToken: cancellationToken));
            }

            await connection.ExecuteAsync(new CommandDefinition(InsertMessageSql, new
            {
                TicketId = ticket.Id,
                Direction = "out",
                AuthorRole = authorRole,
                AuthorName = comment.AuthorName,
                comment.Text,
                comment.At,
                Tool = comment.Tool,
                comment.CommentId,
            }, transaction, cancellationToken: cancellationToken));
            await outbox.EnqueueAsync(comment, cancellationToken);
            if (comment.Origin == CommentOrigins.OnSiteVisit)
            {
                await notifier.NotifyAsync(ticket.Id, NotificationKinds.Visit, comment.Text, cancellationToken);
            }

            return CommentResult.Added(new CommentView(comment.CommentId, comment.AuthorName, comment.Text, comment.At, comment.Tool is not null)
            {
                Attachments = files.Count == 0 ? null : [.. files.Select(f => new AttachmentView(f.Id, f.FileName, f.ContentType, f.Content.LongLength))],
            });
        }, cancellationToken);
    }

    /// <summary>Who wrote the comment, as the tool's note says it (<see cref="CommentOrigins"/>), from the author's role in the timeline.</summary>
    private static string OriginOf(string authorRole) => authorRole switch
    {
        "requester" => CommentOrigins.College,
        HubRoles.Dispatcher or HubRoles.Admin => CommentOrigins.PoleTie,
        CommentOrigins.OnSiteVisit => CommentOrigins.OnSiteVisit,
        _ => CommentOrigins.Team,
    };

    private static string StatusLabel(string status) => status switch
    {
        HubStatuses.Forwarded => "reçue",
        HubStatuses.InProgress => "en cours de traitement",
        HubStatuses.Waiting => "en attente",
        HubStatuses.Resolved => "résolue",
        HubStatuses.Closed => "close",
        _ => status,
    };

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private sealed record CommentTarget(Guid Id, string Reference, string Status, string CollegeUai, string? ExternalTool, string? ExternalId);
}

/// <summary>The collège's added information, as answered by the API.</summary>
/// <param name="SentToTool">False while the ticket is in no tool yet (kept in the hub only).</param>
public sealed record CommentView(Guid Id, string Author, string Text, DateTimeOffset At, bool SentToTool)
{
    /// <summary>The files sent with it; null when none.</summary>
    public IReadOnlyList<AttachmentView>? Attachments { get; init; }
}

public sealed record CommentResult(bool Found, bool IsClosed, CommentView? Comment)
{
    public static CommentResult NotFound { get; } = new(false, false, null);

    public static CommentResult Closed { get; } = new(true, true, null);

    public static CommentResult Added(CommentView comment) => new(true, false, comment);
}

public sealed record ReportResult(bool Found, string? ConflictDetail, TicketView? Ticket)
{
    public static ReportResult NotFound { get; } = new(false, null, null);

    public static ReportResult Conflict(string detail) => new(true, detail, null);

    public static ReportResult Done(TicketView ticket) => new(true, null, ticket);
}
