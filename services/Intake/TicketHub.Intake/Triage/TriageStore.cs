using Dapper;
using TicketHub.Contracts;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Triage;

/// <summary>The Pôle TIE dispatcher's desk: tickets waiting for a person, and re-routing.</summary>
public sealed class TriageStore(IDbConnectionFactory connections, UnitOfWork units, IOutbox outbox, TicketLifecycle lifecycle, TimeProvider clock)
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
        var rows = await connection.QueryAsync<TriageRow>(new CommandDefinition(sql, new { Status = HubStatuses.Triage, Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new TriageItem(r.Id, r.Reference, r.CollegeUai, r.Title, r.Category, r.Zone, r.RouteRule, r.RouteExplanation, r.CreatedAt, r.UpdatedAt)).ToList();
    }

    private const string InsertAuditSql = """
        INSERT INTO ticket_reroutes (ticket_id, requested_by, reason, at, old_status, old_target, old_tool, old_queue, old_rule,
            old_external_tool, old_external_id, new_target, new_tool, new_queue)
        VALUES (@TicketId, @RequestedBy, @Reason, @At, @OldStatus, @OldTarget, @OldTool, @OldQueue, @OldRule,
            @OldExternalTool, @OldExternalId, @NewTarget, @NewTool, @NewQueue)
        """;

    /// <summary>
    /// Applies a dispatcher's route at once (through <see cref="TicketLifecycle.TryRerouteAsync"/>: status,
    /// route, history; then the audit) and publishes <see cref="TicketRerouted"/> so that the classifier
    /// completes it, the new tool receives the ticket and the previous tool is told where it went. When
    /// the ticket changes meanwhile (a tool's update, a late message), the request is decided again on it.
    /// </summary>
    public Task<RerouteResult> RerouteAsync(string idOrReference, RerouteRequest request, string requestedBy, CancellationToken cancellationToken) =>
        units.RunUntilDecidedAsync(() => TryRerouteAsync(idOrReference, request, requestedBy, cancellationToken),
            attempts => new TicketChangedConcurrentlyException(idOrReference, attempts), cancellationToken, maxAttempts: 5);

    /// <summary>One attempt of <see cref="RerouteAsync"/>, in its unit of work; null when the ticket changed since it was read.</summary>
    private async Task<RerouteResult?> TryRerouteAsync(string idOrReference, RerouteRequest request, string requestedBy, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        // The state (and its version) before the view: the write succeeds only if neither changed since.
        var id = await TicketStore.ResolveIdAsync(connection, transaction, idOrReference, cancellationToken);
        var state = id is { } found ? await TicketLifecycle.ReadStateAsync(found, cancellationToken) : null;
        var ticket = id is null ? null : await TicketStore.ReadAsync(connection, transaction, id.Value.ToString(), cancellationToken);
        if (state is null || ticket is null)
        {
            return RerouteResult.NotFound;
        }

        if (TicketLifecycle.RerouteRefusal(state, request.Target, request.Tool, request.Queue) is { } refusal)
        {
            return RerouteResult.Conflict(refusal);
        }

        var now = clock.GetUtcNow();
        var explanation = $"Votre demande a été réorientée par le Pôle TIE vers {RouteTargets.FrenchName(request.Target)} : {request.Reason}";
        var note = $"Réorientée par {requestedBy} vers {RouteTargets.FrenchName(request.Target)} : {request.Reason}";
        if (!await lifecycle.TryRerouteAsync(ticket.Id, state, request.Target, request.Tool, request.Queue, explanation, note, cancellationToken))
        {
            return null;
        }

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
        var attachments = await TicketStore.ReadAttachmentsAsync(connection, transaction, ticket.Id, cancellationToken);
        await outbox.EnqueueAsync(ToMessage(ticket, attachments, request, requestedBy, now), cancellationToken);
        return RerouteResult.Done((await TicketStore.ReadAsync(connection, transaction, ticket.Id.ToString(), cancellationToken))!);
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
