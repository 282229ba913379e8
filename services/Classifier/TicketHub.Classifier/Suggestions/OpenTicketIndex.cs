using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Classifier.Suggestions;

/// <summary>
/// The collèges' open tickets, kept from the bus (issue 16, part 4), and those that read like a
/// report being written. A ticket enters when the classifier routes it (its text analysed once, in
/// the routing's unit of work); its status then follows intake's <see cref="TicketStatusChanged"/>,
/// applied only above the version held (a late, older change is ignored: intake decided it already).
/// A closed ticket leaves. A search reads one collège's rows through an index and compares their
/// stored terms: no scan of every ticket, no analysis of stored text, per keystroke.
/// </summary>
public sealed class OpenTicketIndex(IDbConnectionFactory connections, TicketLikeness likeness, TimeProvider clock)
{
    /// <summary>How many of a collège's most recent open tickets a search compares (the collège's whole backlog in practice).</summary>
    public const int Candidates = 500;

    /// <summary>How many lookalikes the form shows at most.</summary>
    public const int Shown = 3;

    private const string InsertSql = """
        INSERT INTO open_tickets (ticket_id, reference, college_uai, category, title, location, terms, status, route_target, tool, version, created_at, updated_at)
        SELECT @TicketId, @Reference, @CollegeUai, @Category, @Title, @Location, @Terms, @Status, @RouteTarget, @Tool, 0, @CreatedAt, @Now
        WHERE NOT EXISTS (SELECT 1 FROM open_tickets WHERE ticket_id = @TicketId)
        """;

    private const string RouteSql = """
        UPDATE open_tickets SET route_target = @RouteTarget, tool = @Tool, status = CASE WHEN version = 0 THEN @Status ELSE status END, updated_at = @Now
        WHERE ticket_id = @TicketId
        """;

    private const string ApplySql = """
        UPDATE open_tickets SET status = @Status, route_target = @RouteTarget, tool = @Tool, version = @Version, updated_at = @At
        WHERE ticket_id = @TicketId AND version < @Version
        """;

    private const string RemoveSql = "DELETE FROM open_tickets WHERE ticket_id = @TicketId";

    private const string CandidatesFilter = """
        FROM open_tickets WHERE college_uai = @CollegeUai AND status <> @Resolved
        ORDER BY created_at DESC
        """;

    private const string CandidatesSqliteSql = "SELECT ticket_id, reference, category, title, location, terms, status, route_target, tool, created_at " + CandidatesFilter + " LIMIT @Take";

    private const string CandidatesSqlServerSql = "SELECT TOP (@Take) ticket_id, reference, category, title, location, terms, status, route_target, tool, created_at " + CandidatesFilter;

    /// <summary>
    /// The ticket routed by <paramref name="route"/>, in the unit of work in progress: added with its
    /// analysed text, or (routed again by a dispatcher) its route updated. A ticket already told of by
    /// intake keeps the status intake gave it.
    /// </summary>
    public async Task RoutedAsync(Guid ticketId, string reference, DateTimeOffset createdAt, TicketDetails ticket, RouteDecision route, CancellationToken cancellationToken)
    {
        var args = new
        {
            TicketId = ticketId,
            Reference = reference,
            ticket.CollegeUai,
            ticket.Category,
            ticket.Title,
            ticket.Location,
            Terms = string.Join(' ', likeness.Terms(ticket.Title, ticket.Description)),
            Status = route.Target == RouteTargets.Triage ? HubStatuses.Triage : HubStatuses.Routed,
            RouteTarget = route.Target,
            route.Tool,
            CreatedAt = createdAt,
            Now = clock.GetUtcNow(),
        };
        if (await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(InsertSql, args, UnitOfWork.Current, cancellationToken: cancellationToken)) == 0)
        {
            await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(RouteSql, args, UnitOfWork.Current, cancellationToken: cancellationToken));
        }
    }

    /// <summary>What intake decided of a ticket, in the unit of work in progress: applied if newer than what is held; a closed ticket leaves.</summary>
    /// <returns>False when the change was older than the one held, or the ticket is not held.</returns>
    public async Task<bool> ApplyAsync(TicketStatusChanged change, CancellationToken cancellationToken)
    {
        var connection = UnitOfWork.Connection;
        if (change.Status == HubStatuses.Closed)
        {
            return await connection.ExecuteAsync(new CommandDefinition(RemoveSql, new { change.TicketId }, UnitOfWork.Current, cancellationToken: cancellationToken)) > 0;
        }

        return await connection.ExecuteAsync(new CommandDefinition(ApplySql, new
        {
            change.TicketId,
            change.Status,
            change.RouteTarget,
            change.Tool,
            change.Version,
            change.At,
        }, UnitOfWork.Current, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// The open tickets of <paramref name="collegeUai"/> that read like <paramref name="title"/> and
    /// <paramref name="description"/> (<see cref="TicketLikeness.Threshold"/>), most alike first, then most recent.
    /// </summary>
    public async Task<IReadOnlyList<SimilarTicket>> FindSimilarAsync(string collegeUai, string? title, string? description, CancellationToken cancellationToken)
    {
        var query = likeness.Vector(likeness.Terms(title, description));
        if (query.Count == 0)
        {
            return [];
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(connections.Dialect.Pick(CandidatesSqliteSql, CandidatesSqlServerSql),
            new { CollegeUai = collegeUai, Resolved = HubStatuses.Resolved, Take = Candidates }, cancellationToken: cancellationToken));
        return rows
            .Select(row => (Row: row, Likeness: TicketLikeness.Cosine(query, likeness.Vector(row.Terms.Split(' ', StringSplitOptions.RemoveEmptyEntries)))))
            .Where(x => x.Likeness >= TicketLikeness.Threshold)
            .OrderByDescending(x => x.Likeness).ThenByDescending(x => x.Row.CreatedAt)
            .Take(Shown)
            .Select(x => new SimilarTicket(x.Row.TicketId, x.Row.Reference, x.Row.Title, x.Row.Category, x.Row.Location, x.Row.Status,
                x.Row.RouteTarget, x.Row.Tool, x.Row.CreatedAt, Math.Round(x.Likeness, 3)))
            .ToList();
    }

    private sealed class Row
    {
        public Guid TicketId { get; init; }
        public string Reference { get; init; } = "";
        public string Category { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Location { get; init; }
        public string Terms { get; init; } = "";
        public string Status { get; init; } = "";
        public string? RouteTarget { get; init; }
        public string? Tool { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }
}

/// <summary>An open ticket of the collège that reads like the report being written: <see cref="Likeness"/> is the cosine, 0.2 to 1.</summary>
public sealed record SimilarTicket(Guid Id, string Reference, string Title, string Category, string? Location, string Status,
    string? RouteTarget, string? Tool, DateTimeOffset CreatedAt, double Likeness);
