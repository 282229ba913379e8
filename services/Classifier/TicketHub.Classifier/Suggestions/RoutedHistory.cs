using Dapper;
using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Classifier.Suggestions;

/// <summary>
/// The hub's own routed requests whose zone is known, as examples for the zone and category suggestion
/// (issue 16, part 3): the zone the requester gave when routed, replaced by the one a dispatcher's
/// re-route implies (a correction). Written in the consumers' units of work; read by <see cref="SuggesterTraining"/>.
/// </summary>
public sealed class RoutedHistory(IDbConnectionFactory connections, TimeProvider clock)
{
    /// <summary>How many of the most recent examples the suggester learns from, besides the labelled set.</summary>
    public const int Kept = 5_000;

    /// <summary>The requester said which zone.</summary>
    public const string FromRequester = "requester";

    /// <summary>A dispatcher's re-route said it (a correction).</summary>
    public const string FromReroute = "reroute";

    private const string UpdateSql = """
        UPDATE learned_requests SET zone = @Zone, source = @Source, learned_at = @Now WHERE ticket_id = @TicketId
        """;

    private const string InsertSql = """
        INSERT INTO learned_requests (ticket_id, title, description, category, zone, source, learned_at)
        VALUES (@TicketId, @Title, @Description, @Category, @Zone, @Source, @Now)
        """;

    private const string RecentFilter = " FROM learned_requests ORDER BY learned_at DESC";

    private const string RecentSqliteSql = "SELECT ticket_id, title, description, category, zone" + RecentFilter + " LIMIT @Take";

    private const string RecentSqlServerSql = "SELECT TOP (@Take) ticket_id, title, description, category, zone" + RecentFilter;

    /// <summary>A submitted ticket whose requester gave the zone: an example, in the unit of work in progress.</summary>
    public Task RecordAsync(TicketSubmitted submitted, CancellationToken cancellationToken) =>
        submitted.Ticket.Zone is Zones.Administrative or Zones.Pedagogique
            ? UpsertAsync(submitted.TicketId, submitted.Ticket, submitted.Ticket.Zone, FromRequester, cancellationToken)
            : Task.CompletedTask;

    /// <summary>A dispatcher's re-route: the zone its target implies (<see cref="ZoneOf"/>) replaces what was known.</summary>
    public Task CorrectAsync(TicketRerouted rerouted, College? college, CancellationToken cancellationToken) =>
        ZoneOf(rerouted.Target, college, DateOnly.FromDateTime(rerouted.ReroutedAt.UtcDateTime)) is { } zone
            ? UpsertAsync(rerouted.TicketId, rerouted.Ticket, zone, FromReroute, cancellationToken)
            : Task.CompletedTask;

    /// <summary>
    /// The zone a target implies for <paramref name="college"/> on <paramref name="day"/>: the Rectorat
    /// (PASS) works only administrative posts; the infogérant, only classrooms while the Rectorat keeps
    /// the ZA; the Région, a cité mixte's classrooms. Null when the target says nothing of it.
    /// </summary>
    public static string? ZoneOf(string target, College? college, DateOnly day) => target switch
    {
        RouteTargets.Pass => Zones.Administrative,
        RouteTargets.Infogerant when college is not null && (college.ZaRepriseDate is null || college.ZaRepriseDate > day) => Zones.Pedagogique,
        RouteTargets.Region => Zones.Pedagogique,
        _ => null,
    };

    /// <summary>The most recent examples (<see cref="Kept"/> at most).</summary>
    public async Task<IReadOnlyList<LabelledRequest>> ExamplesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(connections.Dialect.Pick(RecentSqliteSql, RecentSqlServerSql),
            new { Take = Kept }, cancellationToken: cancellationToken));
        return rows.Select(r => new LabelledRequest(r.TicketId.ToString(), r.Title, r.Description, r.Zone, r.Category)).ToList();
    }

    private async Task UpsertAsync(Guid ticketId, TicketDetails ticket, string zone, string source, CancellationToken cancellationToken)
    {
        var args = new { TicketId = ticketId, ticket.Title, ticket.Description, ticket.Category, Zone = zone, Source = source, Now = clock.GetUtcNow() };
        var connection = UnitOfWork.Connection;
        if (await connection.ExecuteAsync(new CommandDefinition(UpdateSql, args, UnitOfWork.Current, cancellationToken: cancellationToken)) == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, args, UnitOfWork.Current, cancellationToken: cancellationToken));
        }
    }

    private sealed class Row
    {
        public Guid TicketId { get; init; }
        public string Title { get; init; } = "";
        public string Description { get; init; } = "";
        public string Category { get; init; } = "";
        public string Zone { get; init; } = "";
    }
}
