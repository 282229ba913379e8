using Dapper;
using TicketHub.Contracts;
using TicketHub.Intake.Indicators;
using TicketHub.Intake.Notifications;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Tickets;

/// <summary>
/// The one place that changes a ticket's status, route and external ticket, and writes the history
/// entry of each change. Its rules: the hub's pipeline only moves forward (ADR 3); once the ticket is
/// in its tool, the tool's clock decides, and a tool the ticket is no longer routed to is not heard
/// (ADR 3, refinement); a dispatcher's route is never replaced by a late automatic one, and a re-route
/// starts the ticket's life in a tool again (ADR 6).
/// </summary>
/// <remarks>
/// Every write is checked against the version of the row the decision was made on (optimistic
/// concurrency, issue 13): under a server database's read-committed isolation, two transactions that
/// change one ticket at once no longer let the older decision overwrite the newer. A change decided
/// on a stale row is decided again on the row as it now is. Runs in the unit of work in progress (the
/// message's, with its inbox record, or the request's: <see cref="UnitOfWork"/>), so the change, its
/// history and the messages it announces commit together. Each change of status or route is announced
/// as a <see cref="TicketStatusChanged"/> in that unit, for the read models kept from the bus, and the
/// people who follow the ticket are told of it (<see cref="TicketNotifier"/>) in that unit too; the
/// first time of each step is kept for the indicators (<see cref="TicketMilestones"/>).
/// </remarks>
public sealed class TicketLifecycle(IOutbox outbox, TicketNotifier notifier, TicketMetrics metrics, TimeProvider clock)
{
    private const int MaxAttempts = 10;

    private const string SelectStateSql = """
        SELECT reference, college_uai, status, route_target, route_tool, route_queue, route_rule, external_tool, external_id,
            external_updated_at, duplicate_of, version, created_at
        FROM tickets WHERE id = @Id
        """;

    /// <summary>What a ticket is now, with the version a change must be written on; null for an unknown ticket.</summary>
    public static Task<TicketState?> ReadStateAsync(Guid ticketId, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.QuerySingleOrDefaultAsync<TicketState>(
            new CommandDefinition(SelectStateSql, new { Id = ticketId }, UnitOfWork.Current, cancellationToken: cancellationToken));

    private const string RouteSql = """
        UPDATE tickets SET status = @Status, route_target = @Target, route_tool = @Tool, route_queue = @Queue, route_rule = @Rule,
            route_rule_set_version = @RuleSetVersion, route_explanation = @Explanation, flags = @Flags,
            college_name = COALESCE(@CollegeName, college_name), college_ut = COALESCE(@CollegeUt, college_ut),
            updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    // The collège's name and UT as the registry gave them, when the route itself is not taken.
    private const string CollegeSql = """
        UPDATE tickets SET college_name = COALESCE(@CollegeName, college_name), college_ut = COALESCE(@CollegeUt, college_ut),
            version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>
    /// The classifier's decision: the route, and routed or triage unless the ticket is already further.
    /// A late automatic decision does not replace a dispatcher's (only the collège's registry data is kept).
    /// </summary>
    public Task<bool> RouteAsync(TicketRouted routed, CancellationToken cancellationToken)
    {
        var route = routed.Route;
        var now = clock.GetUtcNow();
        return ChangeAsync(routed.TicketId, state =>
        {
            var college = new { CollegeName = routed.College?.Name, CollegeUt = routed.College?.Ut, Now = now };
            if (state.RouteRule == TicketRerouted.ManualRule && route.Rule != TicketRerouted.ManualRule)
            {
                return routed.College is null ? null : new Change(CollegeSql, college, state.Status, now, null);
            }

            var status = Forward(state.Status, route.Target == RouteTargets.Triage ? HubStatuses.Triage : HubStatuses.Routed);
            return new Change(RouteSql, new
            {
                Status = status,
                route.Target,
                route.Tool,
                route.Queue,
                route.Rule,
                route.RuleSetVersion,
                route.Explanation,
                Flags = route.Flags.Count == 0 ? null : string.Join(',', route.Flags),
                college.CollegeName,
                college.CollegeUt,
                Now = now,
            }, status, now, route.Explanation) { Target = route.Target, Tool = route.Tool, Rule = route.Rule, Notice = route.Explanation };
        }, cancellationToken);
    }

    private const string ForwardedSql = """
        UPDATE tickets SET status = @Status, external_tool = @Tool, external_id = @ExternalId, external_url = @ExternalUrl,
            failure_reason = NULL, failure_detail = NULL, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>
    /// The ticket a connector created: recorded, and the ticket forwarded unless already further. Only
    /// the tool the ticket is routed to may claim it: a ticket re-routed away from GLPI must not become
    /// "forwarded to GLPI" again because of a late message.
    /// </summary>
    public Task<bool> ForwardedAsync(TicketForwarded forwarded, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return ChangeAsync(forwarded.TicketId, state =>
        {
            if (state.RouteTool is not null && state.RouteTool != forwarded.Tool)
            {
                return null;
            }

            var status = Forward(state.Status, HubStatuses.Forwarded);
            var note = $"Transmise {ToolNames.To(forwarded.Tool)} sous le numéro {forwarded.ExternalId}.";
            return new Change(ForwardedSql, new { Status = status, forwarded.Tool, forwarded.ExternalId, forwarded.ExternalUrl, Now = now },
                status, now, note) { Notice = note };
        }, cancellationToken);
    }

    private const string FailedSql = """
        UPDATE tickets SET status = @Status, failure_reason = @Reason, failure_detail = @Detail, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>
    /// Marks the ticket failed (visible, never silently stuck) unless it already reached a later status,
    /// where the failure is stale and ignored: <paramref name="reason"/> in plain French for the collège
    /// (also the history's note), <paramref name="detail"/> the tool's or service's own words, for the operators.
    /// </summary>
    public Task<bool> FailedAsync(Guid ticketId, string reason, string? detail, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return ChangeAsync(ticketId, state => TicketStatus.CanMove(state.Status, HubStatuses.Failed)
            ? new Change(FailedSql, new { Status = HubStatuses.Failed, Reason = reason, Detail = detail, Now = now }, HubStatuses.Failed, now, reason)
            : null, cancellationToken);
    }

    private const string ExternalStatusSql = """
        UPDATE tickets SET status = @Status, external_updated_at = @ExternalAt, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>
    /// A status the ticket's tool gave it at <paramref name="at"/> (the tool's clock): applied when newer
    /// than the last one applied, whatever the rank (a ticket reopened in the tool shows reopened); never
    /// from a tool the ticket is not routed to.
    /// </summary>
    /// <param name="note">The history's note when the status changes.</param>
    /// <param name="reply">The team's text that came with the status (a solution, a question), told with it; or null.</param>
    public Task<bool> ExternalStatusAsync(Guid ticketId, string tool, string status, DateTimeOffset at, string note, string? reply, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return ChangeAsync(ticketId, state =>
        {
            if (!IsHeardFrom(state, tool) || state.DuplicateOf is not null || !HubStatuses.External.Contains(status)
                || (state.ExternalUpdatedAt is { } last && at <= last))
            {
                return null;
            }

            return new Change(ExternalStatusSql, new { Status = status, ExternalAt = at, Now = now }, status, at, note) { Notice = reply };
        }, cancellationToken);
    }

    /// <summary>Whether what <paramref name="tool"/> says of the ticket counts: the ticket is routed there, or to no tool yet.</summary>
    public static bool IsHeardFrom(TicketState state, string tool) => state.RouteTool is null || state.RouteTool == tool;

    private const string RerouteSql = """
        UPDATE tickets SET status = @Status, route_target = @Target, route_tool = @Tool, route_queue = @Queue, route_rule = @Rule,
            route_explanation = @Explanation, external_tool = NULL, external_id = NULL, external_url = NULL, external_updated_at = NULL,
            failure_reason = NULL, failure_detail = NULL, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>Why a dispatcher may not send a ticket in <paramref name="state"/> to that target, or null when they may.</summary>
    public static string? RerouteRefusal(TicketState state, string target, string? tool, string? queue)
    {
        if (state.Status == HubStatuses.Received)
        {
            return "Cette demande n'a pas encore été orientée : attendez quelques secondes avant de la réorienter.";
        }

        if (!HubStatuses.IsOpen(state.Status))
        {
            return "Cette demande est résolue ou close : ouvrez-en une nouvelle plutôt que de la réorienter.";
        }

        if (state.RouteTarget == target && (tool is null || tool == state.RouteTool) && (queue is null || queue == state.RouteQueue))
        {
            return $"Cette demande est déjà orientée vers {RouteTargets.FrenchName(target)}.";
        }

        return null;
    }

    /// <summary>
    /// A dispatcher's route (rule <see cref="TicketRerouted.ManualRule"/>), on the ticket as the dispatcher's
    /// request read it (<paramref name="read"/>): the ticket starts again in the new team's hands, with
    /// no external ticket and no failure. False when the ticket changed since <paramref name="read"/>:
    /// read it again and decide again.
    /// </summary>
    public async Task<bool> TryRerouteAsync(Guid ticketId, TicketState read, string target, string? tool, string? queue,
        string explanation, string note, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var status = target == RouteTargets.Triage ? HubStatuses.Triage : HubStatuses.Routed;
        var change = new Change(RerouteSql, new
        {
            Status = status,
            Target = target,
            Tool = tool,
            Queue = queue,
            Rule = TicketRerouted.ManualRule,
            Explanation = explanation,
            Now = now,
        }, status, now, note, AlwaysRecord: true) { Target = target, Tool = tool, Rule = TicketRerouted.ManualRule, Notice = explanation, Rerouted = true };
        return await TryWriteAsync(ticketId, read, change, cancellationToken);
    }

    private const string DuplicateSql = """
        UPDATE tickets SET status = @Status, duplicate_of = @DuplicateOf, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>
    /// Closes the ticket as a duplicate of <paramref name="keptReference"/> (a person's decision, on the
    /// ticket as their request read it): closed in the hub whatever its tool says afterwards, which is
    /// no longer heard. False when the ticket changed since <paramref name="read"/>: read and decide again.
    /// </summary>
    public async Task<bool> TryCloseAsDuplicateAsync(Guid ticketId, TicketState read, string keptReference, string note, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var change = new Change(DuplicateSql, new { Status = HubStatuses.Closed, DuplicateOf = keptReference, Now = now },
            HubStatuses.Closed, now, note, AlwaysRecord: true) { DuplicateOf = keptReference, Notice = keptReference };
        return await TryWriteAsync(ticketId, read, change, cancellationToken);
    }

    /// <summary>
    /// Reads the ticket, decides, writes on the version read; when another transaction changed the
    /// ticket in between, reads and decides again.
    /// </summary>
    /// <returns>False when the ticket is unknown or <paramref name="decide"/> left it as it was.</returns>
    private async Task<bool> ChangeAsync(Guid ticketId, Func<TicketState, Change?> decide, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var state = await ReadStateAsync(ticketId, cancellationToken);
            if (state is null || decide(state) is not { } change)
            {
                return false;
            }

            if (await TryWriteAsync(ticketId, state, change, cancellationToken))
            {
                return true;
            }

            if (attempt == MaxAttempts)
            {
                throw new TicketChangedConcurrentlyException(ticketId, attempt);
            }
        }
    }

    private async Task<bool> TryWriteAsync(Guid ticketId, TicketState read, Change change, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var parameters = new DynamicParameters(change.Args);
        parameters.Add("Id", ticketId);
        parameters.Add("Version", read.Version);
        var written = await transaction.Connection!.ExecuteAsync(new CommandDefinition(change.Sql, parameters, transaction, cancellationToken: cancellationToken));
        if (written == 0)
        {
            return false;
        }

        if (change.AlwaysRecord || change.Status != read.Status)
        {
            await TicketHistory.AddAsync(ticketId, change.Status, change.At, change.Note, cancellationToken);
        }

        var route = change.Target is { } routeTarget ? (routeTarget, change.Rule) : ((string, string?)?)null;
        await TicketMilestones.ChangedAsync(ticketId, read.Status, change.Status, change.At, route, change.Rerouted, cancellationToken);
        metrics.Changed(read.CreatedAt, read.Status, change.Status, change.At, route, read.RouteTarget, change.Rerouted);

        var target = change.Target ?? read.RouteTarget;
        var tool = change.Target is null ? read.RouteTool : change.Tool;
        if (change.Status != read.Status || target != read.RouteTarget || tool != read.RouteTool)
        {
            await outbox.EnqueueAsync(new TicketStatusChanged(ticketId, read.Reference, read.CollegeUai, change.Status, target, tool,
                read.Version + 1, change.At, change.DuplicateOf), cancellationToken);
        }

        if (NotificationOf(read, change) is { } kind)
        {
            await notifier.NotifyAsync(ticketId, kind, change.Notice, cancellationToken);
        }

        return true;
    }

    /// <summary>What the people following the ticket are told of a change, or null when it is not for them (a collège's name, a status of the hub's own plumbing).</summary>
    private static string? NotificationOf(TicketState read, Change change) => change switch
    {
        { DuplicateOf: not null } => NotificationKinds.Duplicate,
        { Rerouted: true } => NotificationKinds.Rerouted,
        { Status: HubStatuses.Routed or HubStatuses.Triage } when read.Status == HubStatuses.Received => NotificationKinds.Received,
        { Status: HubStatuses.Forwarded } when read.Status is HubStatuses.Routed or HubStatuses.Received => NotificationKinds.Forwarded,
        { Status: HubStatuses.Waiting } when read.Status != HubStatuses.Waiting => NotificationKinds.Waiting,
        { Status: HubStatuses.Resolved } when read.Status != HubStatuses.Resolved => NotificationKinds.Resolved,
        { Status: HubStatuses.Closed } when read.Status != HubStatuses.Closed => NotificationKinds.Closed,
        // The team's text that came with another status, or with the same one again: a reply.
        { Notice: not null } when HubStatuses.External.Contains(change.Status) => NotificationKinds.Reply,
        _ => null,
    };

    /// <summary><paramref name="to"/> if the pipeline may move a ticket there from <paramref name="from"/>, else <paramref name="from"/>.</summary>
    private static string Forward(string from, string to) => TicketStatus.CanMove(from, to) ? to : from;

    /// <summary>A decided write: its statement and values, the status it leaves, and the history entry if that status is new.</summary>
    /// <remarks><see cref="Target"/> and <see cref="Tool"/>: the route it writes, when it writes one.</remarks>
    private sealed record Change(string Sql, object Args, string Status, DateTimeOffset At, string? Note, bool AlwaysRecord = false)
    {
        public string? Target { get; init; }

        public string? Tool { get; init; }

        public string? Rule { get; init; }

        public string? DuplicateOf { get; init; }

        /// <summary>What the people following the ticket read of the change (the route's explanation, the team's text…).</summary>
        public string? Notice { get; init; }

        /// <summary>A dispatcher's new route.</summary>
        public bool Rerouted { get; init; }
    }
}

/// <summary>A ticket's status, route and external ticket as one change must find them (<see cref="Version"/>).</summary>
public sealed class TicketState
{
    public string Reference { get; init; } = "";

    public string CollegeUai { get; init; } = "";

    public string Status { get; init; } = "";
    public string? RouteTarget { get; init; }
    public string? RouteTool { get; init; }
    public string? RouteQueue { get; init; }
    public string? RouteRule { get; init; }
    public string? ExternalTool { get; init; }
    public string? ExternalId { get; init; }
    public DateTimeOffset? ExternalUpdatedAt { get; init; }

    /// <summary>The reference of the ticket this one was closed as a duplicate of, or null.</summary>
    public string? DuplicateOf { get; init; }

    /// <summary>Raised by every change: a write checks it is still the one read.</summary>
    public long Version { get; init; }

    /// <summary>When the hub received the ticket.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The ticket kept changing under one change (many concurrent changes): the message is retried.</summary>
public sealed class TicketChangedConcurrentlyException(string ticket, int attempts)
    : Exception($"Ticket {ticket} changed concurrently {attempts} times in a row; the change will be retried.")
{
    public TicketChangedConcurrentlyException(Guid ticketId, int attempts)
        : this(ticketId.ToString(), attempts)
    {
    }
}
