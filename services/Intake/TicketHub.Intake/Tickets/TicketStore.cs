using System.Data.Common;
using Dapper;
using TicketHub.Contracts;
using TicketHub.Intake.Data;
using TicketHub.Intake.Followers;
using TicketHub.Intake.Http;
using TicketHub.Intake.Indicators;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Tickets;

/// <summary>
/// Tickets as the collège created them, their reference numbers, and how they are read. What happens
/// to a ticket afterwards (status, route, external ticket) is <see cref="TicketLifecycle"/>'s.
/// </summary>
public sealed class TicketStore(IDbConnectionFactory connections, UnitOfWork units, IOutbox outbox, TicketMetrics metrics, TimeProvider clock)
{
    /// <summary>
    /// Stores the ticket, its first history entry and its <see cref="TicketSubmitted"/> message in
    /// one transaction. With an idempotency key already used for the same body, returns the ticket
    /// it created; for another body, <see cref="CreateOutcome.KeyReused"/>. A key is <paramref name="caller"/>'s
    /// own: another caller's same key is another key, so it neither finds nor reveals that ticket.
    /// </summary>
    public async Task<CreateResult> CreateAsync(NewTicket ticket, string caller, string? idempotencyKey, string requestHash, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (idempotencyKey is not null)
            {
                var existing = await FindByIdempotencyKeyAsync(caller, idempotencyKey, requestHash, cancellationToken);
                if (existing is not null)
                {
                    return existing;
                }
            }

            try
            {
                return await InsertAsync(ticket, caller, idempotencyKey, requestHash, cancellationToken);
            }
            catch (DbException ex) when (SqlDialect.IsUniqueViolation(ex) && attempt < 3)
            {
                // Another request with the same idempotency key, or the first ticket of a new year
                // on SQL Server, won the race: read again.
            }
        }
    }

    private const string FindByKeySql = """
        SELECT id AS Id, reference AS Reference, status AS Status, request_hash AS RequestHash
        FROM tickets WHERE idempotency_caller = @Caller AND idempotency_key = @Key
        """;

    /// <summary>What an earlier request of <paramref name="caller"/> with this key created, or null: a replay is answered before any quota.</summary>
    public async Task<CreateResult?> FindByIdempotencyKeyAsync(string caller, string key, string requestHash, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(FindByKeySql, new { Caller = caller, Key = key }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        return row.RequestHash == requestHash
            ? new CreateResult(CreateOutcome.Existing, new TicketAccepted(row.Id, row.Reference, row.Status))
            : new CreateResult(CreateOutcome.KeyReused, null);
    }

    private const string BumpCounterSql = "UPDATE reference_counters SET last_value = last_value + 1 WHERE year = @Year";

    private const string InsertCounterSql = "INSERT INTO reference_counters (year, last_value) VALUES (@Year, 1)";

    private const string ReadCounterSql = "SELECT last_value FROM reference_counters WHERE year = @Year";

    private const string InsertTicketSql = """
        INSERT INTO tickets (id, reference, college_uai, requester_name, requester_email, requester_phone, zone, category,
            type, building_impact, title, description, urgency, location, equipment, status, idempotency_caller, idempotency_key, request_hash,
            created_by, created_at, updated_at)
        VALUES (@Id, @Reference, @CollegeUai, @RequesterName, @RequesterEmail, @RequesterPhone, @Zone, @Category,
            @Type, @BuildingImpact, @Title, @Description, @Urgency, @Location, @Equipment, @Status, @IdempotencyCaller, @IdempotencyKey, @RequestHash,
            @CreatedBy, @CreatedAt, @CreatedAt)
        """;

    private async Task<CreateResult> InsertAsync(NewTicket ticket, string caller, string? idempotencyKey, string requestHash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var details = ticket.Details;

        // On a server database the number is taken in a unit of work of its own: concurrent requests
        // (and replicas) then wait for one short update of the year's counter, not for each other's
        // whole ticket. A ticket whose storage fails after that leaves its number unused (a gap, never
        // a duplicate). SQLite serialises its writers anyway: one unit of work, no gap.
        var taken = connections.Dialect.IsServer ? await units.RunAsync(() => NextReferenceAsync(now, cancellationToken), cancellationToken) : null;
        return await units.RunAsync(async () =>
        {
            var transaction = UnitOfWork.Current;
            var connection = transaction.Connection!;
            var reference = taken ?? await NextReferenceAsync(now, cancellationToken);

            await connection.ExecuteAsync(new CommandDefinition(InsertTicketSql, new
            {
                Id = id,
                Reference = reference,
                details.CollegeUai,
                RequesterName = details.Requester.Name,
                RequesterEmail = details.Requester.Email,
                RequesterPhone = details.Requester.Phone,
                details.Zone,
                details.Category,
                details.Type,
                details.BuildingImpact,
                details.Title,
                details.Description,
                details.Urgency,
                details.Location,
                details.Equipment,
                Status = HubStatuses.Received,
                IdempotencyCaller = idempotencyKey is null ? null : caller,
                IdempotencyKey = idempotencyKey,
                CreatedBy = caller,
                RequestHash = requestHash,
                CreatedAt = now,
            }, transaction, cancellationToken: cancellationToken));
            for (var position = 0; position < ticket.Attachments.Count; position++)
            {
                var attachment = ticket.Attachments[position];
                await connection.ExecuteAsync(new CommandDefinition(InsertAttachmentSql, new
                {
                    attachment.Id,
                    TicketId = id,
                    Position = position,
                    attachment.FileName,
                    attachment.ContentType,
                    Size = attachment.Content.LongLength,
                    attachment.Sha256,
                    attachment.Content,
                    CreatedAt = now,
                }, transaction, cancellationToken: cancellationToken));
            }

            var note = ticket.Attachments.Count switch
            {
                0 => "Demande enregistrée.",
                1 => "Demande enregistrée, avec 1 pièce jointe.",
                var count => $"Demande enregistrée, avec {count} pièces jointes.",
            };
            await TicketHistory.AddAsync(id, HubStatuses.Received, now, note, cancellationToken);
            await TicketMilestones.ReceivedAsync(id, now, cancellationToken);
            metrics.Received(details.Zone);
            var submitted = ticket.Attachments.Count == 0 ? details : details with { Attachments = [.. ticket.Attachments.Select(a => a.ToRef())] };
            await outbox.EnqueueAsync(new TicketSubmitted(id, reference, now, submitted), cancellationToken);

            return new CreateResult(CreateOutcome.Created, new TicketAccepted(id, reference, HubStatuses.Received));
        }, cancellationToken);
    }

    /// <summary>The year's next reference, in the unit of work in progress (the year's counter stays locked until it ends).</summary>
    private static async Task<string> NextReferenceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        var year = TicketReference.YearOf(now);
        if (await connection.ExecuteAsync(new CommandDefinition(BumpCounterSql, new { Year = year }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertCounterSql, new { Year = year }, transaction, cancellationToken: cancellationToken));
        }

        var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ReadCounterSql, new { Year = year }, transaction, cancellationToken: cancellationToken));
        return TicketReference.Format(year, number);
    }

    private const string InsertAttachmentSql = """
        INSERT INTO ticket_attachments (id, ticket_id, position, file_name, content_type, size, sha256, content, created_at)
        VALUES (@Id, @TicketId, @Position, @FileName, @ContentType, @Size, @Sha256, @Content, @CreatedAt)
        """;

    private const string SelectTicketColumns = """
        SELECT id, reference, status, college_uai, college_name, college_ut, requester_name, requester_email, requester_phone, zone, category, type,
            building_impact, title, description, urgency, location, equipment, route_target, route_tool, route_queue,
            route_rule, route_rule_set_version, route_explanation, flags, external_tool, external_id, external_url,
            failure_reason, failure_detail, created_at, updated_at, duplicate_of
        FROM tickets
        """;

    private const string SelectByIdSql = SelectTicketColumns + " WHERE id = @Id";

    private const string SelectByReferenceSql = SelectTicketColumns + " WHERE reference = @Reference";

    private const string SelectHistorySql = "SELECT status, at, note FROM ticket_history WHERE ticket_id = @Id ORDER BY seq";

    private const string SelectAttachmentsSql = """
        SELECT id, file_name, content_type, size, sha256, comment_id FROM ticket_attachments WHERE ticket_id = @Id ORDER BY position
        """;

    private const string SelectMessagesSql = """
        SELECT m.direction, m.author_role, m.author_name, m.text, m.at, m.comment_id, v.visited_on
        FROM ticket_messages m LEFT JOIN visit_notes n ON n.comment_id = m.comment_id LEFT JOIN visits v ON v.id = n.visit_id
        WHERE m.ticket_id = @Id ORDER BY m.seq
        """;

    /// <summary>Finds a ticket by its id or its reference (<c>TH-2026-000123</c>).</summary>
    private const string SelectScopeByIdSql = "SELECT college_uai AS CollegeUai, route_target AS RouteTarget FROM tickets WHERE id = @Id";

    private const string SelectScopeByReferenceSql = "SELECT college_uai AS CollegeUai, route_target AS RouteTarget FROM tickets WHERE reference = @Reference";

    /// <summary>
    /// Only what decides who may see the ticket, in one indexed read: an access check costs the same
    /// whether the ticket exists or not, and whatever its history, so a refusal's timing does not tell
    /// another collège that the ticket exists (issue 12). Read the whole ticket once access is granted.
    /// </summary>
    public async Task<TicketScope?> FindScopeAsync(string idOrReference, CancellationToken cancellationToken)
    {
        (string Sql, object Args)? query = Guid.TryParse(idOrReference, out var id) ? (SelectScopeByIdSql, new { Id = id })
            : TicketReference.LooksLikeReference(idOrReference) ? (SelectScopeByReferenceSql, new { Reference = idOrReference })
            : null;
        await using var connection = await connections.OpenAsync(cancellationToken);
        if (query is not { } found)
        {
            return null;
        }

        var row = await connection.QuerySingleOrDefaultAsync<ScopeRow>(new CommandDefinition(found.Sql, found.Args, cancellationToken: cancellationToken));
        return row is null ? null : new TicketScope(row.CollegeUai, row.RouteTarget);
    }

    private sealed class ScopeRow
    {
        public string CollegeUai { get; set; } = "";
        public string? RouteTarget { get; set; }
    }

    private const string SelectIdByReferenceSql = "SELECT id FROM tickets WHERE reference = @Reference";

    /// <summary>The id of the ticket <paramref name="idOrReference"/> names, or null when there is none.</summary>
    internal static async Task<Guid?> ResolveIdAsync(DbConnection connection, DbTransaction? transaction, string idOrReference, CancellationToken cancellationToken)
    {
        (string Sql, object Args)? query = Guid.TryParse(idOrReference, out var id) ? (SelectIdSql, new { Id = id })
            : TicketReference.LooksLikeReference(idOrReference) ? (SelectIdByReferenceSql, new { Reference = idOrReference })
            : null;
        return query is { } found
            ? await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(found.Sql, found.Args, transaction, cancellationToken: cancellationToken))
            : null;
    }

    private const string SelectIdSql = "SELECT id FROM tickets WHERE id = @Id";

    public async Task<TicketView?> FindAsync(string idOrReference, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, idOrReference, cancellationToken);
    }

    /// <summary>Reads a ticket and its history on <paramref name="connection"/>, inside <paramref name="transaction"/> if given.</summary>
    internal static async Task<TicketView?> ReadAsync(DbConnection connection, DbTransaction? transaction, string idOrReference, CancellationToken cancellationToken)
    {
        object args;
        string sql;
        if (Guid.TryParse(idOrReference, out var id))
        {
            (sql, args) = (SelectByIdSql, new { Id = id });
        }
        else if (TicketReference.LooksLikeReference(idOrReference))
        {
            (sql, args) = (SelectByReferenceSql, new { Reference = idOrReference });
        }
        else
        {
            return null;
        }

        var row = await connection.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(sql, args, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var history = (await connection.QueryAsync<HistoryEntry>(new CommandDefinition(SelectHistorySql, new { row.Id }, transaction, cancellationToken: cancellationToken))).AsList();
        var messages = await connection.QueryAsync<MessageRow>(new CommandDefinition(SelectMessagesSql, new { row.Id }, transaction, cancellationToken: cancellationToken));
        var undelivered = await UndeliveredAttachments.ReadAsync(connection, transaction, row.Id, cancellationToken);
        var files = await ReadAttachmentRowsAsync(connection, transaction, row.Id, cancellationToken);
        var filesOfComments = files.Where(a => a.CommentId is not null).ToLookup(a => a.CommentId!.Value, a => a.ToView());
        var timeline = history.Select(h => new TimelineEntry(h.At, "status", h.Status, h.Note, null, null))
            .Concat(messages.Select(m => new TimelineEntry(m.At, m.Direction == "in" ? "reply" : m.VisitedOn is null ? "comment" : "visit", null, m.Text, m.AuthorName, m.AuthorRole)
            {
                VisitedOn = m.VisitedOn is null ? null : DateOnly.ParseExact(m.VisitedOn, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Attachments = m.CommentId is { } commentId && filesOfComments.Contains(commentId) ? [.. filesOfComments[commentId]] : null,
            }))
            .Concat(undelivered)
            .OrderBy(e => e.At)
            .ToList();
        var followers = await FollowerStore.ReadAsync(connection, transaction, row.Id, cancellationToken);
        return row.ToView(history, timeline, [.. files.Select(a => a.ToView())], followers);
    }

    /// <summary>
    /// The files of a ticket as messages carry them (<see cref="TicketDetails.Attachments"/>), in the
    /// order they were sent: those sent with it, then those of its comments.
    /// </summary>
    internal static async Task<IReadOnlyList<AttachmentRef>> ReadAttachmentsAsync(DbConnection connection, DbTransaction? transaction, Guid ticketId, CancellationToken cancellationToken) =>
        [.. (await ReadAttachmentRowsAsync(connection, transaction, ticketId, cancellationToken)).Select(a => new AttachmentRef(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256))];

    private static async Task<List<AttachmentRow>> ReadAttachmentRowsAsync(DbConnection connection, DbTransaction? transaction, Guid ticketId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<AttachmentRow>(new CommandDefinition(SelectAttachmentsSql, new { Id = ticketId }, transaction, cancellationToken: cancellationToken))).AsList();

    private const string ListColumns = """
        id, reference, status, college_uai, college_name, college_ut, title, category, urgency, route_target, route_tool,
            route_queue, external_tool, external_id, external_url, created_at, updated_at
        FROM tickets
        """;

    private const string ListFilter = """
        WHERE (@Status IS NULL OR status = @Status) AND (@CollegeUai IS NULL OR college_uai = @CollegeUai)
            AND (@Target IS NULL OR route_target = @Target) AND (@Tool IS NULL OR route_tool = @Tool) AND (@Ut IS NULL OR college_ut = @Ut)
            AND (@AfterAt IS NULL OR created_at < @AfterAt OR (created_at = @AfterAt AND id < @AfterId))
        ORDER BY created_at DESC, id DESC
        """;

    private const string ListSqliteSql = "SELECT " + ListColumns + "\n" + ListFilter + "\nLIMIT @Take";

    // Optional filters: RECOMPILE lets SQL Server pick the index for the filters actually given.
    private const string ListSqlServerSql = "SELECT TOP (@Take) " + ListColumns + "\n" + ListFilter + "\nOPTION (RECOMPILE)";

    // Only a ticket of the reader's scope can be "after": the cursor tells nothing of the others.
    private const string SelectCreatedAtSql = """
        SELECT created_at FROM tickets
        WHERE id = @Id AND (@CollegeUai IS NULL OR college_uai = @CollegeUai) AND (@Target IS NULL OR route_target = @Target)
        """;

    /// <summary>
    /// One page of tickets, newest first (keyset paging on creation time then id, so that tickets
    /// created meanwhile never shift a page).
    /// </summary>
    /// <returns>Null when the page's <c>after</c> names no ticket.</returns>
    public Task<Page<TicketSummary>?> ListAsync(TicketFilter filter, PageRequest page, CancellationToken cancellationToken) =>
        KeysetPaging.ReadAsync<SummaryRow, TicketSummary>(connections, SelectCreatedAtSql, connections.Dialect.Pick(ListSqliteSql, ListSqlServerSql),
            new { filter.Status, filter.CollegeUai, filter.Target, filter.Tool, filter.Ut }, page, r => r.ToSummary(), s => s.Id, cancellationToken);

    private sealed record MessageRow(string Direction, string AuthorRole, string? AuthorName, string Text, DateTimeOffset At, Guid? CommentId, string? VisitedOn);

    private sealed record AttachmentRow(Guid Id, string FileName, string ContentType, long Size, string Sha256, Guid? CommentId)
    {
        public AttachmentView ToView() => new(Id, FileName, ContentType, Size);
    }

    private sealed class SummaryRow
    {
        public Guid Id { get; init; }
        public string Reference { get; init; } = "";
        public string Status { get; init; } = "";
        public string CollegeUai { get; init; } = "";
        public string? CollegeName { get; init; }
        public string? CollegeUt { get; init; }
        public string Title { get; init; } = "";
        public string Category { get; init; } = "";
        public string Urgency { get; init; } = "";
        public string? RouteTarget { get; init; }
        public string? RouteTool { get; init; }
        public string? RouteQueue { get; init; }
        public string? ExternalTool { get; init; }
        public string? ExternalId { get; init; }
        public string? ExternalUrl { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public TicketSummary ToSummary() => new(
            Id, Reference, Status, CollegeUai, CollegeName, CollegeUt, Title, Category, Urgency, RouteTarget, RouteTool, RouteQueue,
            ExternalTool is null || ExternalId is null ? null : new ExternalView(ExternalTool, ExternalId, ExternalUrl),
            CreatedAt, UpdatedAt);
    }

    private sealed record KeyRow(Guid Id, string Reference, string Status, string? RequestHash);

    private sealed class TicketRow
    {
        public Guid Id { get; init; }
        public string Reference { get; init; } = "";
        public string Status { get; init; } = "";
        public string CollegeUai { get; init; } = "";
        public string? CollegeName { get; init; }
        public string? CollegeUt { get; init; }
        public string RequesterName { get; init; } = "";
        public string RequesterEmail { get; init; } = "";
        public string? RequesterPhone { get; init; }
        public string? Zone { get; init; }
        public string Category { get; init; } = "";
        public string Type { get; init; } = "";
        public bool BuildingImpact { get; init; }
        public string Title { get; init; } = "";
        public string Description { get; init; } = "";
        public string Urgency { get; init; } = "";
        public string? Location { get; init; }
        public string? Equipment { get; init; }
        public string? RouteTarget { get; init; }
        public string? RouteTool { get; init; }
        public string? RouteQueue { get; init; }
        public string? RouteRule { get; init; }
        public string? RouteRuleSetVersion { get; init; }
        public string? RouteExplanation { get; init; }
        public string? Flags { get; init; }
        public string? ExternalTool { get; init; }
        public string? ExternalId { get; init; }
        public string? ExternalUrl { get; init; }
        public string? FailureReason { get; init; }
        public string? FailureDetail { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string? DuplicateOf { get; init; }

        public TicketView ToView(IReadOnlyList<HistoryEntry> history, IReadOnlyList<TimelineEntry> timeline, IReadOnlyList<AttachmentView> attachments,
            IReadOnlyList<FollowerView> followers) => new(
            Id, Reference, Status, CollegeUai, CollegeName, CollegeUt, new RequesterView(RequesterName, RequesterEmail, RequesterPhone),
            Zone, Category, Type, BuildingImpact, Title, Description, Urgency, Location, Equipment,
            RouteTarget is null ? null : new RouteView(RouteTarget, RouteTool, RouteQueue, RouteRule ?? "", RouteRuleSetVersion, RouteExplanation ?? ""),
            string.IsNullOrEmpty(Flags) ? [] : Flags.Split(','),
            ExternalTool is null || ExternalId is null ? null : new ExternalView(ExternalTool, ExternalId, ExternalUrl),
            attachments, FailureReason, FailureDetail, history, timeline, CreatedAt, UpdatedAt, followers, DuplicateOf);
    }
}

public enum CreateOutcome
{
    Created,
    Existing,
    KeyReused,
}

public sealed record CreateResult(CreateOutcome Outcome, TicketAccepted? Ticket);
