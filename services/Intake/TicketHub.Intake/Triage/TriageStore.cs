using Dapper;
using TicketHub.Contracts;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Triage;

/// <summary>The Pôle TIE dispatcher's desk: tickets waiting for a person, and re-routing.</summary>
public sealed class TriageStore(IDbConnectionFactory connections, IOutbox outbox, TimeProvider clock)
{
    private const string ListSqliteSql = """
        SELECT id, reference, college_uai, title, category, zone, route_rule, route_explanation, created_at, updated_at
        FROM tickets WHERE status = @Status ORDER BY created_at LIMIT @Limit
        """;

    private const string ListSqlServerSql = """
        SELECT TOP (@Limit) id, reference, college_uai, title, category, zone, route_rule, route_explanation, created_at, updated_at
        FROM tickets WHERE status = @Status ORDER BY created_at
        """;

    /// <summary>Tickets in triage, oldest first, with why they are there.</summary>
    public async Task<IReadOnlyList<TriageItem>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var sql = connections.Dialect.Pick(ListSqliteSql, ListSqlServerSql);
        var rows = await connection.QueryAsync<TriageRow>(new CommandDefinition(sql, new { Status = TicketStatus.Triage, Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new TriageItem(r.Id, r.Reference, r.CollegeUai, r.Title, r.Category, r.Zone, r.RouteRule, r.RouteExplanation, r.CreatedAt, r.UpdatedAt)).ToList();
    }

    private const string ApplyRerouteSql = """
        UPDATE tickets SET status = @Status, route_target = @Target, route_tool = @Tool, route_queue = @Queue, route_rule = @Rule,
            route_explanation = @Explanation, external_tool = NULL, external_id = NULL, external_url = NULL, external_updated_at = NULL,
            failure_reason = NULL, failure_detail = NULL,
            updated_at = @Now
        WHERE id = @Id
        """;

    private const string InsertAuditSql = """
        INSERT INTO ticket_reroutes (ticket_id, requested_by, reason, at, old_status, old_target, old_tool, old_queue, old_rule,
            old_external_tool, old_external_id, new_target, new_tool, new_queue)
        VALUES (@TicketId, @RequestedBy, @Reason, @At, @OldStatus, @OldTarget, @OldTool, @OldQueue, @OldRule,
            @OldExternalTool, @OldExternalId, @NewTarget, @NewTool, @NewQueue)
        """;

    /// <summary>
    /// Applies a dispatcher's route at once (status, route, history, audit) and publishes
    /// <see cref="TicketRerouted"/> so that the classifier completes it, the new tool receives the
    /// ticket and the previous tool is told where it went.
    /// </summary>
    public async Task<RerouteResult> RerouteAsync(string idOrReference, RerouteRequest request, string requestedBy, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ticket = await TicketStore.ReadAsync(connection, transaction, idOrReference, cancellationToken);
        if (ticket is null)
        {
            return RerouteResult.NotFound;
        }

        if (Refusal(ticket, request) is { } refusal)
        {
            return RerouteResult.Conflict(refusal);
        }

        var now = clock.GetUtcNow();
        var status = request.Target == RouteTargets.Triage ? TicketStatus.Triage : TicketStatus.Routed;
        var explanation = $"Votre demande a été réorientée par le Pôle TIE vers {RouteTargets.FrenchName(request.Target)} : {request.Reason}";
        await connection.ExecuteAsync(new CommandDefinition(ApplyRerouteSql, new
        {
            ticket.Id,
            Status = status,
            request.Target,
            request.Tool,
            request.Queue,
            Rule = TicketRerouted.ManualRule,
            Explanation = explanation,
            Now = now,
        }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(InsertAuditSql, new
        {
            TicketId = ticket.Id,
            RequestedBy = requestedBy,
            request.Reason,
            At = now,
            OldStatus = ticket.Status,
            OldTarget = ticket.Route?.Target,
            OldTool = ticket.Route?.Tool,
            OldQueue = ticket.Route?.Queue,
            OldRule = ticket.Route?.Rule,
            OldExternalTool = ticket.External?.Tool,
            OldExternalId = ticket.External?.Id,
            NewTarget = request.Target,
            NewTool = request.Tool,
            NewQueue = request.Queue,
        }, transaction, cancellationToken: cancellationToken));
        await TicketHistory.AddAsync(transaction, ticket.Id, status, now, $"Réorientée par {requestedBy} vers {RouteTargets.FrenchName(request.Target)} : {request.Reason}", cancellationToken);
        var attachments = await TicketStore.ReadAttachmentsAsync(connection, transaction, ticket.Id, cancellationToken);
        await outbox.EnqueueAsync(transaction, ToMessage(ticket, attachments, request, requestedBy, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.NotifyCommitted();

        return RerouteResult.Done((await TicketStore.ReadAsync(connection, null, ticket.Id.ToString(), cancellationToken))!);
    }

    private static string? Refusal(TicketView ticket, RerouteRequest request)
    {
        if (ticket.Status == TicketStatus.Received)
        {
            return "Cette demande n'a pas encore été orientée : attendez quelques secondes avant de la réorienter.";
        }

        if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            return "Cette demande est résolue ou close : ouvrez-en une nouvelle plutôt que de la réorienter.";
        }

        var route = ticket.Route;
        if (route is not null && route.Target == request.Target
            && (request.Tool is null || request.Tool == route.Tool)
            && (request.Queue is null || request.Queue == route.Queue))
        {
            return $"Cette demande est déjà orientée vers {RouteTargets.FrenchName(request.Target)}.";
        }

        return null;
    }

    /// <param name="attachments">The ticket's files: the new tool receives them too.</param>
    private static TicketRerouted ToMessage(TicketView ticket, IReadOnlyList<AttachmentRef> attachments, RerouteRequest request, string requestedBy, DateTimeOffset now)
    {
        var details = new TicketDetails(
            ticket.CollegeUai, new Requester(ticket.Requester.Name, ticket.Requester.Email, ticket.Requester.Phone),
            ticket.Zone, ticket.Category, ticket.Type, ticket.BuildingImpact, ticket.Title, ticket.Description,
            ticket.Urgency, ticket.Location, ticket.Equipment, attachments.Count == 0 ? null : attachments);
        var previousRoute = ticket.Route is null
            ? null
            : new RouteDecision(ticket.Route.Target, ticket.Route.Tool, ticket.Route.Queue, ticket.Route.Rule,
                ticket.Route.RuleSetVersion ?? "", ticket.Route.Explanation, ticket.Flags);
        var previousExternal = ticket.External is null ? null : new ExternalTicketRef(ticket.External.Tool, ticket.External.Id, ticket.External.Url);
        return new TicketRerouted(ticket.Id, ticket.Reference, ticket.CreatedAt, details, request.Target, request.Tool, request.Queue,
            previousRoute, previousExternal, request.Reason, requestedBy, now);
    }

    private sealed record TriageRow(Guid Id, string Reference, string CollegeUai, string Title, string Category, string? Zone,
        string? RouteRule, string? RouteExplanation, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
}

/// <summary>A ticket waiting for a dispatcher.</summary>
public sealed record TriageItem(Guid Id, string Reference, string CollegeUai, string Title, string Category, string? Zone,
    string? Rule, string? Why, DateTimeOffset CreatedAt, DateTimeOffset WaitingSince);

public sealed record RerouteResult(bool Found, string? ConflictDetail, TicketView? Ticket)
{
    public static RerouteResult NotFound { get; } = new(false, null, null);

    public static RerouteResult Conflict(string detail) => new(true, detail, null);

    public static RerouteResult Done(TicketView ticket) => new(true, null, ticket);
}
