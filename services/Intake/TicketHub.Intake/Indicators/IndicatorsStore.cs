using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Indicators;

/// <summary>The dimensions the indicators are cut by, each null when not asked: an UT, a collège, a zone, a category, the team, the tool.</summary>
public sealed record IndicatorsFilter(string? Ut, string? CollegeUai, string? Zone, string? Category, string? Target, string? Tool);

/// <summary>Reads the tickets the indicators are computed on, in one pass each: the cohort received in a period, and the open ones.</summary>
public sealed class IndicatorsStore(IDbConnectionFactory connections)
{
    private const string Columns = """
        SELECT t.id AS TicketId, t.status AS Status, t.college_uai AS CollegeUai, t.route_target AS Target,
            m.received_at AS ReceivedAt, m.routed_at AS RoutedAt, m.first_target AS FirstTarget, m.first_rule AS FirstRule,
            m.triage_at AS TriageAt, m.triage_left_at AS TriageLeftAt, m.forwarded_at AS ForwardedAt, m.in_progress_at AS InProgressAt,
            m.replied_at AS RepliedAt, m.resolved_at AS ResolvedAt, m.closed_at AS ClosedAt, m.failed_at AS FailedAt,
            m.reroutes AS Reroutes, m.reopened AS Reopened,
            (SELECT COUNT(*) FROM undelivered_attachments u WHERE u.ticket_id = t.id) AS RefusedAttachments
        FROM ticket_milestones m JOIN tickets t ON t.id = m.ticket_id
        WHERE (@Ut IS NULL OR t.college_ut = @Ut) AND (@CollegeUai IS NULL OR t.college_uai = @CollegeUai)
            AND (@Zone IS NULL OR t.zone = @Zone) AND (@Category IS NULL OR t.category = @Category)
            AND (@Target IS NULL OR t.route_target = @Target) AND (@Tool IS NULL OR t.route_tool = @Tool)
        """;

    private const string ReceivedSql = Columns + "\n    AND m.received_at >= @From AND m.received_at < @To";

    private const string OpenSql = Columns + "\n    AND t.status NOT IN ('resolved', 'closed')";

    private const string DeadLettersSql = "SELECT COUNT(*) FROM reported_dead_letters WHERE first_failed_at >= @From AND first_failed_at < @To";

    /// <summary>The tickets received from <paramref name="from"/> (included) to <paramref name="to"/> (excluded) that match <paramref name="filter"/>.</summary>
    public async Task<IReadOnlyList<TicketFacts>> ReceivedAsync(DateTimeOffset from, DateTimeOffset to, IndicatorsFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TicketFacts>(new CommandDefinition(ReceivedSql, Args(filter, from, to), cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The tickets open now that match <paramref name="filter"/>, whenever they were received.</summary>
    public async Task<IReadOnlyList<TicketFacts>> OpenAsync(IndicatorsFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TicketFacts>(new CommandDefinition(OpenSql, Args(filter, null, null), cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The dead letters of every service whose message first failed in the period.</summary>
    public async Task<int> DeadLettersAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(DeadLettersSql, new { From = from, To = to }, cancellationToken: cancellationToken));
    }

    private static object Args(IndicatorsFilter filter, DateTimeOffset? from, DateTimeOffset? to) => new
    {
        filter.Ut,
        filter.CollegeUai,
        filter.Zone,
        filter.Category,
        filter.Target,
        filter.Tool,
        From = from,
        To = to,
    };
}
