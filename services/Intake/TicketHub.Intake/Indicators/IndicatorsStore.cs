using System.Globalization;
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
        SELECT t.status AS Status, t.route_target AS Target,
            m.received_at AS ReceivedAt, m.routed_at AS RoutedAt, m.first_target AS FirstTarget, m.first_rule AS FirstRule,
            m.triage_at AS TriageAt, m.triage_left_at AS TriageLeftAt, m.forwarded_at AS ForwardedAt, m.in_progress_at AS InProgressAt,
            m.replied_at AS RepliedAt, m.resolved_at AS ResolvedAt, m.closed_at AS ClosedAt, m.failed_at AS FailedAt,
            m.reroutes AS Reroutes, m.reopened AS Reopened
        FROM ticket_milestones m JOIN tickets t ON t.id = m.ticket_id
        """;

    private const string ReceivedCondition = "m.received_at >= @From AND m.received_at < @To";

    private const string OpenCondition = "t.status NOT IN ('resolved', 'closed')";

    // Each filter given adds its condition, so that the database can use its indexes (an
    // "@X IS NULL OR …" for every filter would make it read every ticket). Only these constants are
    // ever written into the statement; the values go as parameters.
    private static readonly (Func<IndicatorsFilter, string?> Value, string Condition)[] Conditions =
    [
        (f => f.Ut, "t.college_ut = @Ut"),
        (f => f.CollegeUai, "t.college_uai = @CollegeUai"),
        (f => f.Zone, "t.zone = @Zone"),
        (f => f.Category, "t.category = @Category"),
        (f => f.Target, "t.route_target = @Target"),
        (f => f.Tool, "t.route_tool = @Tool"),
    ];

    private static string Sql(string condition, IndicatorsFilter filter, string select = Columns) =>
        select + "\nWHERE " + string.Join(" AND ", Conditions.Where(c => c.Value(filter) is not null).Select(c => c.Condition).Prepend(condition));

    private const string RefusedFilesColumns = """
        SELECT COUNT(*) FROM undelivered_attachments u JOIN ticket_milestones m ON m.ticket_id = u.ticket_id JOIN tickets t ON t.id = m.ticket_id
        """;

    private const string DeadLettersSql = "SELECT COUNT(*) FROM reported_dead_letters WHERE first_failed_at >= @From AND first_failed_at < @To";

    /// <summary>The tickets received from <paramref name="from"/> (included) to <paramref name="to"/> (excluded) that match <paramref name="filter"/>.</summary>
    public Task<IReadOnlyList<TicketFacts>> ReceivedAsync(DateTimeOffset from, DateTimeOffset to, IndicatorsFilter filter, CancellationToken cancellationToken) =>
        ReadAsync(Sql(ReceivedCondition, filter), Args(filter, from, to), cancellationToken);

    /// <summary>The files a tool refused for good among those of the tickets received in the period that match <paramref name="filter"/>.</summary>
    public async Task<int> RefusedFilesAsync(DateTimeOffset from, DateTimeOffset to, IndicatorsFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(Sql(ReceivedCondition, filter, RefusedFilesColumns), Args(filter, from, to), cancellationToken: cancellationToken));
    }

    /// <summary>The tickets open now that match <paramref name="filter"/>, whenever they were received.</summary>
    public Task<IReadOnlyList<TicketFacts>> OpenAsync(IndicatorsFilter filter, CancellationToken cancellationToken) =>
        ReadAsync(Sql(OpenCondition, filter), Args(filter, null, null), cancellationToken);

    /// <summary>
    /// Reads the rows by hand rather than through Dapper's mapping: a year of a département is a
    /// hundred thousand rows of ten instants each, which SQLite keeps as text (<see cref="Instant"/>).
    /// </summary>
    private async Task<IReadOnlyList<TicketFacts>> ReadAsync(string sql, object args, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, args, cancellationToken: cancellationToken));
        var rows = new List<TicketFacts>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new TicketFacts
            {
                Status = reader.GetString(0),
                Target = reader.IsDBNull(1) ? null : reader.GetString(1),
                ReceivedAt = Instant(reader, 2)!.Value,
                RoutedAt = Instant(reader, 3),
                FirstTarget = reader.IsDBNull(4) ? null : reader.GetString(4),
                FirstRule = reader.IsDBNull(5) ? null : reader.GetString(5),
                TriageAt = Instant(reader, 6),
                TriageLeftAt = Instant(reader, 7),
                ForwardedAt = Instant(reader, 8),
                InProgressAt = Instant(reader, 9),
                RepliedAt = Instant(reader, 10),
                ResolvedAt = Instant(reader, 11),
                ClosedAt = Instant(reader, 12),
                FailedAt = Instant(reader, 13),
                Reroutes = Convert.ToInt32(reader.GetValue(14), CultureInfo.InvariantCulture),
                Reopened = Convert.ToInt32(reader.GetValue(15), CultureInfo.InvariantCulture) != 0,
            });
        }

        return rows;
    }

    /// <summary>An instant as each database gives it (<see cref="StoredInstant"/>).</summary>
    private static DateTimeOffset? Instant(System.Data.Common.DbDataReader reader, int ordinal) => StoredInstant.Parse(reader.GetValue(ordinal));

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
