using System.Globalization;
using Dapper;
using TicketHub.Contracts;
using TicketHub.Intake.Conversation;
using TicketHub.Intake.Indicators;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Visits;

/// <summary>
/// The infogérant's visits to the collèges (issue 14, ADR 23): the sheet a technician prepares a visit
/// with, and the visit's record: its day and technician, and per ticket what was done on site, which
/// becomes a comment of the ticket (<see cref="ConversationStore.AddCommentAsync"/>: the timeline, the
/// tool through the outbox, the collège's mail), all in one unit of work.
/// </summary>
public sealed class VisitStore(IDbConnectionFactory connections, UnitOfWork units, ConversationStore conversation, SchoolCalendar calendar, TimeProvider clock)
{
    /// <summary>Without an earlier visit, the sheet's « recently resolved » go back this many days.</summary>
    public const int ResolvedDays = 31;

    /// <summary>However old the last visit, « recently resolved » go back no further.</summary>
    public const int ResolvedMaxDays = 92;

    // One collège, or every collège of a UT (as the tickets' registry snapshot names it); its open
    // tickets, and the infogérant's closed lately (the sheet keeps those resolved since the last visit).
    private const string SheetScope = """
        (t.college_uai = @CollegeUai OR (@CollegeUai IS NULL AND t.college_ut = @Ut))
            AND (t.status NOT IN ('resolved', 'closed') OR (t.route_target = 'infogerant' AND t.updated_at >= @Since))
        """;

    private const string SelectSheetTicketsSql = """
        SELECT t.id, t.reference, t.title, t.category, t.location, t.urgency, t.status, t.route_target, t.route_tool,
            t.external_id, t.external_url, t.created_at, t.college_uai, t.college_name, t.college_ut,
            (SELECT MAX(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.status IN ('resolved', 'closed')) AS resolved_at
        FROM tickets t WHERE
        """ + " " + SheetScope;

    private const string SelectSheetMessagesSql = """
        SELECT m.ticket_id, m.direction, m.author_name, m.at FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE
        """ + " " + SheetScope;

    private const string SelectLastVisitsSql = """
        SELECT v.id FROM visits v
        WHERE (v.college_uai = @CollegeUai OR (@CollegeUai IS NULL AND v.college_ut = @Ut))
            AND v.visited_on = (SELECT MAX(v2.visited_on) FROM visits v2 WHERE v2.college_uai = v.college_uai)
        """;

    /// <summary>
    /// The sheet of one collège, or of every collège of <paramref name="ut"/> that has tickets or visits
    /// (the portal adds the registry's others). Tickets are read whatever their team: the other teams'
    /// open ones are on the sheet for information (title, team, status, age: no conversation).
    /// </summary>
    public async Task<VisitSheet> SheetAsync(string? collegeUai, string? ut, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = calendar.DayOf(now);
        var args = new { CollegeUai = collegeUai, Ut = ut, Since = calendar.StartOf(today.AddDays(-ResolvedMaxDays)) };
        await using var connection = await connections.OpenAsync(cancellationToken);
        var tickets = (await connection.QueryAsync<SheetRow>(new CommandDefinition(SelectSheetTicketsSql, args, cancellationToken: cancellationToken))).AsList();
        var lastMessages = (await connection.QueryAsync<MessageRow>(new CommandDefinition(SelectSheetMessagesSql, args, cancellationToken: cancellationToken)))
            .GroupBy(m => m.TicketId)
            .ToDictionary(g => g.Key, g => g.MaxBy(m => m.At)!);
        var lastVisits = new Dictionary<string, VisitSummary>(StringComparer.Ordinal);
        foreach (var visitId in await connection.QueryAsync<Guid>(new CommandDefinition(SelectLastVisitsSql, args, cancellationToken: cancellationToken)))
        {
            var visit = (await ReadAsync(connection, null, visitId, cancellationToken))!;
            if (!lastVisits.TryGetValue(visit.CollegeUai, out var kept) || kept.RecordedAt < visit.RecordedAt)
            {
                lastVisits[visit.CollegeUai] = visit;
            }
        }

        SheetTicket ToSheet(SheetRow row) => new(row.Id, row.Reference, row.Title, row.Category, row.Location, row.Urgency, row.Status,
            row.RouteTarget, row.RouteTool, row.ExternalId, row.ExternalUrl, row.CreatedAt, Math.Max(0, (int)(now - row.CreatedAt).TotalDays),
            lastMessages.TryGetValue(row.Id, out var message) ? new LastExchange(message.At, message.Direction == "out", message.AuthorName) : null,
            HubStatuses.IsOpen(row.Status) ? null : row.ResolvedAt);

        var colleges = tickets.Select(t => t.CollegeUai).Concat(lastVisits.Keys).Distinct(StringComparer.Ordinal);
        var sheets = new List<CollegeSheet>();
        foreach (var uai in colleges.Order(StringComparer.Ordinal))
        {
            var own = tickets.Where(t => t.CollegeUai == uai).OrderBy(t => t.CreatedAt).ToList();
            var latest = own.LastOrDefault();
            var lastVisit = lastVisits.GetValueOrDefault(uai);
            var since = lastVisit is null ? today.AddDays(-ResolvedDays) : Later(lastVisit.VisitedOn, today.AddDays(-ResolvedMaxDays));
            var sinceInstant = calendar.StartOf(since);
            sheets.Add(new CollegeSheet(uai, latest?.CollegeName, latest?.CollegeUt ?? ut, lastVisit, since,
                [.. own.Where(t => t.RouteTarget == RouteTargets.Infogerant && HubStatuses.IsOpen(t.Status)).Select(ToSheet)],
                [.. own.Where(t => t.RouteTarget == RouteTargets.Infogerant && !HubStatuses.IsOpen(t.Status) && t.ResolvedAt >= sinceInstant
                        && lastVisit?.Notes.Any(n => n.TicketId == t.Id) != true)
                    .OrderByDescending(t => t.ResolvedAt).Select(ToSheet)],
                [.. own.Where(t => t.RouteTarget != RouteTargets.Infogerant && HubStatuses.IsOpen(t.Status)).Select(ToSheet)]));
        }

        return new VisitSheet(now, today, sheets);
    }

    private const string SelectHashSql = "SELECT request_hash FROM visits WHERE id = @Id";

    private const string SelectNoteTicketSql = "SELECT id, reference, college_uai, route_target, status FROM tickets WHERE id = @Id";

    private const string SelectUtSql = "SELECT MAX(college_ut) FROM tickets WHERE college_uai = @CollegeUai";

    private const string InsertVisitSql = """
        INSERT INTO visits (id, college_uai, college_ut, visited_on, technician, recorded_by, recorded_at, request_hash)
        VALUES (@Id, @CollegeUai, @Ut, @VisitedOn, @Technician, @RecordedBy, @RecordedAt, @RequestHash)
        """;

    private const string InsertNoteSql = "INSERT INTO visit_notes (visit_id, ticket_id, comment_id) VALUES (@VisitId, @TicketId, @CommentId)";

    /// <summary>
    /// Records visit <paramref name="id"/> (chosen by the sheet) and its notes, once: the same visit
    /// sent again answers what was recorded; the same id with other content is a conflict. A note is
    /// for a ticket of that collège routed to the infogérant and not closed; any other is refused by
    /// its index in <see cref="VisitRecord.Notes"/>, and nothing is recorded.
    /// </summary>
    public async Task<VisitOutcome> RecordAsync(Guid id, VisitRecord record, string recordedBy, CancellationToken cancellationToken)
    {
        try
        {
            return await units.RunAsync(() => InsertAsync(id, record, recordedBy, cancellationToken), cancellationToken);
        }
        catch (System.Data.Common.DbException ex) when (SqlDialect.IsUniqueViolation(ex))
        {
            // The same visit, sent twice at once: the other request recorded it.
            return await units.RunAsync(() => InsertAsync(id, record, recordedBy, cancellationToken), cancellationToken);
        }
    }

    private async Task<VisitOutcome> InsertAsync(Guid id, VisitRecord record, string recordedBy, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        var hash = record.Hash();
        if (await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(SelectHashSql, new { Id = id }, transaction, cancellationToken: cancellationToken)) is { } stored)
        {
            return stored == hash
                ? VisitOutcome.Existing((await ReadAsync(connection, transaction, id, cancellationToken))!)
                : VisitOutcome.Conflict;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < record.Notes.Count; i++)
        {
            var ticket = await connection.QuerySingleOrDefaultAsync<NoteTicket>(
                new CommandDefinition(SelectNoteTicketSql, new { Id = record.Notes[i].TicketId }, transaction, cancellationToken: cancellationToken));
            var refusal = ticket switch
            {
                null => "Aucune demande ne porte cet identifiant.",
                _ when ticket.CollegeUai != record.CollegeUai => $"La demande {ticket.Reference} n'est pas une demande du collège {record.CollegeUai}.",
                _ when ticket.RouteTarget != RouteTargets.Infogerant => $"La demande {ticket.Reference} n'est pas orientée vers l'infogérant : elle n'est sur la fiche que pour information.",
                _ when ticket.Status == HubStatuses.Closed => $"La demande {ticket.Reference} est close : rien ne peut plus y être ajouté.",
                _ => null,
            };
            if (refusal is not null)
            {
                errors[$"notes[{i}].ticket"] = [refusal];
            }
        }

        if (errors.Count > 0)
        {
            return VisitOutcome.Invalid(errors);
        }

        var ut = record.Ut ?? await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(SelectUtSql, new { record.CollegeUai }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(InsertVisitSql, new
        {
            Id = id,
            record.CollegeUai,
            Ut = ut,
            VisitedOn = Day(record.VisitedOn),
            record.Technician,
            RecordedBy = recordedBy,
            RecordedAt = clock.GetUtcNow(),
            RequestHash = hash,
        }, transaction, cancellationToken: cancellationToken));

        foreach (var note in record.Notes)
        {
            var added = await conversation.AddVisitNoteAsync(note.TicketId, note.Text, record.Technician, record.VisitedOn, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(InsertNoteSql, new { VisitId = id, note.TicketId, CommentId = added.Comment!.Id },
                transaction, cancellationToken: cancellationToken));
        }

        return VisitOutcome.Created((await ReadAsync(connection, transaction, id, cancellationToken))!);
    }

    private const string SelectVisitSql = "SELECT id, college_uai, visited_on, technician, recorded_at FROM visits WHERE id = @Id";

    private const string SelectNotesSql = """
        SELECT n.ticket_id, t.reference, n.comment_id, m.text, m.tool
        FROM visit_notes n JOIN tickets t ON t.id = n.ticket_id JOIN ticket_messages m ON m.comment_id = n.comment_id
        WHERE n.visit_id = @Id ORDER BY m.seq
        """;

    private static async Task<VisitSummary?> ReadAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, Guid id, CancellationToken cancellationToken)
    {
        var visit = await connection.QuerySingleOrDefaultAsync<VisitRow>(new CommandDefinition(SelectVisitSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
        if (visit is null)
        {
            return null;
        }

        var notes = await connection.QueryAsync<NoteRow>(new CommandDefinition(SelectNotesSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
        return new VisitSummary(visit.Id, visit.CollegeUai.Trim(), DateOnly.ParseExact(visit.VisitedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture), visit.Technician,
            visit.RecordedAt, [.. notes.Select(n => new VisitNoteView(n.TicketId, n.Reference, n.CommentId, n.Text, n.Tool is not null))]);
    }

    private const string CountByCollegeSql = """
        SELECT college_uai, COUNT(*) FROM visits
        WHERE visited_on >= @From AND visited_on < @To AND (@Ut IS NULL OR college_ut = @Ut) AND (@CollegeUai IS NULL OR college_uai = @CollegeUai)
        GROUP BY college_uai
        """;

    /// <summary>The visits made from <paramref name="from"/> (included) to <paramref name="to"/> (excluded), by collège (for the indicators).</summary>
    public async Task<IReadOnlyList<CountBy>> CountByCollegeAsync(DateOnly from, DateOnly to, string? ut, string? collegeUai, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Uai, long Count)>(new CommandDefinition(CountByCollegeSql,
            new { From = Day(from), To = Day(to), Ut = ut, CollegeUai = collegeUai }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new CountBy(r.Uai.Trim(), (int)r.Count)).OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal)];
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private sealed record SheetRow(Guid Id, string Reference, string Title, string Category, string? Location, string Urgency, string Status,
        string? RouteTarget, string? RouteTool, string? ExternalId, string? ExternalUrl, DateTimeOffset CreatedAt, string CollegeUai,
        string? CollegeName, string? CollegeUt, DateTimeOffset? ResolvedAt);

    private sealed record MessageRow(Guid TicketId, string Direction, string? AuthorName, DateTimeOffset At);

    private sealed record NoteTicket(Guid Id, string Reference, string CollegeUai, string? RouteTarget, string Status);

    private sealed record VisitRow(Guid Id, string CollegeUai, string VisitedOn, string Technician, DateTimeOffset RecordedAt);

    private sealed record NoteRow(Guid TicketId, string Reference, Guid CommentId, string Text, string? Tool);
}

/// <summary>A visit as the sheet sends it, checked (<see cref="VisitsApi"/>).</summary>
public sealed record VisitRecord(string CollegeUai, string? Ut, DateOnly VisitedOn, string Technician, IReadOnlyList<VisitNote> Notes)
{
    /// <summary>What makes two sends the same visit: every field, notes in order.</summary>
    public string Hash()
    {
        var canonical = string.Join('\u001f', [CollegeUai, Ut ?? "", VisitedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Technician,
            .. Notes.Select(n => $"{n.TicketId:N}\u001e{n.Text}")]);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
    }
}

public sealed record VisitNote(Guid TicketId, string Text);

public sealed record VisitOutcome(VisitSummary? Visit, bool IsNew, IDictionary<string, string[]>? Errors)
{
    public static VisitOutcome Conflict { get; } = new(null, false, null);

    public static VisitOutcome Created(VisitSummary visit) => new(visit, true, null);

    public static VisitOutcome Existing(VisitSummary visit) => new(visit, false, null);

    public static VisitOutcome Invalid(IDictionary<string, string[]> errors) => new(null, false, errors);
}
