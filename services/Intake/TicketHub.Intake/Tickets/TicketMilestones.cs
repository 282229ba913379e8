using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tickets;

/// <summary>
/// When each step of a ticket's life first happened (<c>ticket_milestones</c>, issue 14): written in
/// the unit of work of the change itself, by <see cref="TicketLifecycle"/> for every change of status
/// or route and by the conversation for the team's first reply, so that the indicators are always the
/// history's. Only the first time of each step is kept (a second resolution does not move the first);
/// a re-route is counted, and a resolved or closed ticket the tool opens again is marked reopened.
/// </summary>
internal static class TicketMilestones
{
    private const string InsertSql = """
        INSERT INTO ticket_milestones (ticket_id, received_at, reroutes, reopened) VALUES (@TicketId, @At, 0, 0)
        """;

    // Each step's column, kept at its first value: COALESCE(column, @At).
    private static readonly IReadOnlyDictionary<string, string> FirstOf = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [HubStatuses.Triage] = "triage_at",
        [HubStatuses.Forwarded] = "forwarded_at",
        [HubStatuses.InProgress] = "in_progress_at",
        [HubStatuses.Resolved] = "resolved_at",
        [HubStatuses.Closed] = "closed_at",
        [HubStatuses.Failed] = "failed_at",
    };

    private const string RepliedSql = "UPDATE ticket_milestones SET replied_at = COALESCE(replied_at, @At) WHERE ticket_id = @TicketId";

    /// <summary>A new ticket: its row, received at <paramref name="at"/>.</summary>
    public static Task ReceivedAsync(Guid ticketId, DateTimeOffset at, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(InsertSql, new { TicketId = ticketId, At = at }, UnitOfWork.Current, cancellationToken: cancellationToken));

    /// <summary>The team's first reply, at the tool's time.</summary>
    public static Task RepliedAsync(Guid ticketId, DateTimeOffset at, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(RepliedSql, new { TicketId = ticketId, At = at }, UnitOfWork.Current, cancellationToken: cancellationToken));

    /// <summary>
    /// A change from <paramref name="from"/> to <paramref name="to"/> at <paramref name="at"/>:
    /// <paramref name="route"/> when it writes a route (its target and rule), <paramref name="rerouted"/>
    /// when a person sent the ticket elsewhere.
    /// </summary>
    public static Task ChangedAsync(Guid ticketId, string from, string to, DateTimeOffset at, (string Target, string? Rule)? route, bool rerouted,
        CancellationToken cancellationToken)
    {
        var set = new List<string>();
        if (to is HubStatuses.Routed or HubStatuses.Triage)
        {
            set.Add("routed_at = COALESCE(routed_at, @At)");
        }

        if (route is not null && !rerouted)
        {
            // The first automatic decision, kept as decided: a re-route says it was wrong.
            set.Add("first_target = COALESCE(first_target, @Target)");
            set.Add("first_rule = COALESCE(first_rule, @Rule)");
        }

        if (to != from && FirstOf.TryGetValue(to, out var column))
        {
            set.Add($"{column} = COALESCE({column}, @At)");
        }

        if (from == HubStatuses.Triage && to != HubStatuses.Triage)
        {
            set.Add("triage_left_at = COALESCE(triage_left_at, @At)");
        }

        if (rerouted)
        {
            set.Add("reroutes = reroutes + 1");
        }

        if (!HubStatuses.IsOpen(from) && HubStatuses.IsOpen(to))
        {
            set.Add("reopened = 1");
        }

        if (set.Count == 0)
        {
            return Task.CompletedTask;
        }

        var sql = $"UPDATE ticket_milestones SET {string.Join(", ", set)} WHERE ticket_id = @TicketId";
        return UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(sql,
            new { TicketId = ticketId, At = at, route?.Target, route?.Rule }, UnitOfWork.Current, cancellationToken: cancellationToken));
    }
}
