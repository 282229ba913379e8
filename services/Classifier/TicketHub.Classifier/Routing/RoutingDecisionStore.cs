using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Classifier.Routing;

/// <summary>Every decision made, with the rule that fired and the rule set's version.</summary>
public sealed class RoutingDecisionStore(IDbConnectionFactory connections)
{
    private const string InsertSql = """
        INSERT INTO routing_decisions (ticket_id, reference, target, tool, queue, rule_id, rule_set_version, explanation, flags, decided_at)
        VALUES (@TicketId, @Reference, @Target, @Tool, @Queue, @RuleId, @RuleSetVersion, @Explanation, @Flags, @DecidedAt)
        """;

    private const string ListForTicketSql = """
        SELECT ticket_id AS TicketId, reference AS Reference, target AS Target, tool AS Tool, queue AS Queue, rule_id AS RuleId,
               rule_set_version AS RuleSetVersion, explanation AS Explanation, flags AS Flags, decided_at AS DecidedAt
        FROM routing_decisions WHERE ticket_id = @TicketId ORDER BY id
        """;

    /// <summary>Writes the decision in the unit of work in progress (the consumer's, with its inbox record and outbox message).</summary>
    public async Task InsertAsync(Guid ticketId, string reference, RouteDecision route, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        var row = new DecisionRow
        {
            TicketId = ticketId,
            Reference = reference,
            Target = route.Target,
            Tool = route.Tool,
            Queue = route.Queue,
            RuleId = route.Rule,
            RuleSetVersion = route.RuleSetVersion,
            Explanation = route.Explanation,
            Flags = route.Flags.Count == 0 ? null : string.Join(',', route.Flags),
            DecidedAt = decidedAt,
        };
        await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(InsertSql, row, UnitOfWork.Current, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<DecisionRow>> ListForTicketAsync(Guid ticketId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition(ListForTicketSql, new { TicketId = ticketId }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>A stored decision; <see cref="Flags"/> is comma-separated, null when there is none.</summary>
    public sealed class DecisionRow
    {
        public Guid TicketId { get; set; }
        public string Reference { get; set; } = "";
        public string Target { get; set; } = "";
        public string? Tool { get; set; }
        public string? Queue { get; set; }
        public string RuleId { get; set; } = "";
        public string RuleSetVersion { get; set; } = "";
        public string Explanation { get; set; } = "";
        public string? Flags { get; set; }
        public DateTimeOffset DecidedAt { get; set; }
    }
}
