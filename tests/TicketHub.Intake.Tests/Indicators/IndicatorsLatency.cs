using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests.Indicators;

/// <summary>
/// Issue 14's aim: the indicators of a year of a large département (100,000 tickets, 130 collèges in
/// four UTs) in under a second, through <c>GET /api/v1/indicators</c>, on each database: the whole
/// département, one UT, one collège, and the CSV. Printed, never asserted (docs/performance.md).
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
[Category("Performance")]
public sealed class IndicatorsLatency(DatabaseProvider provider)
{
    private const int TicketCount = 100_000;
    private const int Colleges = 130;
    private static readonly DateTimeOffset YearStart = new(2025, 9, 1, 6, 0, 0, TimeSpan.Zero);
    private static readonly string[] Categories = ["vpi", "imprimante", "wifi", "poste", "chauffage"];

    [Test]
    public async Task Indicators_of_a_year_of_a_large_département()
    {
        await using var factory = new IntakeFactory(provider: provider);
        using var client = factory.ClientFor(TestIdentity.Admin);
        var filling = Stopwatch.StartNew();
        await SeedAsync(factory);
        filling.Stop();
        var output = TestContext.Out;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{provider}: {TicketCount} tickets of a year stored in {filling.Elapsed.TotalSeconds:F0} s"));

        const string year = "?from=2025-09-01&to=2026-09-01";
        await MeasureAsync(client, year, "the whole département, a year");
        await MeasureAsync(client, year + "&ut=UT2", "one UT, a year");
        await MeasureAsync(client, year + "&collegeUai=0940007A", "one collège, a year");
        await MeasureAsync(client, year + "&format=csv", "the whole département, a year, CSV");
    }

    private static async Task MeasureAsync(HttpClient client, string query, string what)
    {
        var times = new List<double>();
        var received = 0;
        for (var i = 0; i < 13; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync("/api/v1/indicators" + query);
            var body = await response.Content.ReadAsStringAsync();
            clock.Stop();
            response.EnsureSuccessStatusCode();
            if (!query.Contains("csv", StringComparison.Ordinal))
            {
                received = JsonNode.Parse(body)!["volumes"]!["received"]!.GetValue<int>();
            }

            if (i >= 3)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {received} tickets received; median {times[times.Count / 2]:F0} ms, slowest {times[^1]:F0} ms over {times.Count} requests"));
    }

    /// <summary>
    /// A year: tickets spread over the days, 130 collèges in four UTs, the hub's usual mix of routes and
    /// steps (most resolved and closed within days, some triaged, re-routed, reopened, still open).
    /// </summary>
    private static async Task SeedAsync(IntakeFactory factory)
    {
        var random = new Random(14);
        var units = factory.Services.GetRequiredService<UnitOfWork>();
        const int Batch = 5_000;
        for (var start = 0; start < TicketCount; start += Batch)
        {
            var tickets = new List<object>(Batch);
            var milestones = new List<object>(Batch);
            for (var i = start; i < start + Batch; i++)
            {
                var college = i % Colleges;
                var received = YearStart.AddMinutes(random.Next(0, 365 * 24 * 60));
                var triaged = random.Next(100) < 8;
                var target = triaged ? RouteTargets.Triage : (random.Next(100) switch { < 70 => RouteTargets.Infogerant, < 85 => RouteTargets.Pass, _ => RouteTargets.Omere });
                var rerouted = !triaged && random.Next(100) < 5;
                var finalTarget = triaged || rerouted ? RouteTargets.Pass : target;
                var open = random.Next(100) < 6;
                var routed = received.AddSeconds(random.Next(1, 30));
                var forwarded = routed.AddSeconds(random.Next(1, 60)).AddHours(triaged ? random.Next(1, 30) : 0);
                var taken = forwarded.AddMinutes(random.Next(10, 3 * 24 * 60));
                var resolved = open ? (DateTimeOffset?)null : taken.AddMinutes(random.Next(30, 10 * 24 * 60));
                var id = Guid.NewGuid();
                tickets.Add(new
                {
                    Id = id,
                    Reference = $"TH-2026-{i + 1:D6}",
                    CollegeUai = $"09{40000 + college:D5}A",
                    Ut = $"UT{1 + (college % 4)}",
                    Zone = random.Next(2) == 0 ? "ZP" : "ZA",
                    Category = Categories[random.Next(Categories.Length)],
                    Status = open ? HubStatuses.InProgress : (random.Next(3) == 0 ? HubStatuses.Resolved : HubStatuses.Closed),
                    Target = finalTarget,
                    Tool = finalTarget switch { RouteTargets.Infogerant => ExternalTools.Glpi, RouteTargets.Pass => ExternalTools.Pass, _ => ExternalTools.Omere },
                    CreatedAt = received,
                });
                milestones.Add(new
                {
                    TicketId = id,
                    ReceivedAt = received,
                    RoutedAt = routed,
                    FirstTarget = target,
                    FirstRule = triaged ? "R8" : $"R{random.Next(1, 8)}",
                    TriageAt = triaged ? routed : (DateTimeOffset?)null,
                    TriageLeftAt = triaged ? forwarded.AddMinutes(-1) : (DateTimeOffset?)null,
                    ForwardedAt = forwarded,
                    InProgressAt = taken,
                    RepliedAt = random.Next(2) == 0 ? taken.AddMinutes(5) : (DateTimeOffset?)null,
                    ResolvedAt = resolved,
                    ClosedAt = resolved?.AddDays(random.Next(0, 8)),
                    Reroutes = rerouted || triaged ? 1 : 0,
                    Reopened = random.Next(100) < 3 ? 1 : 0,
                });
            }

            await units.RunAsync(async () =>
            {
                await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO tickets (id, reference, college_uai, college_ut, requester_name, requester_email, zone, category, type, building_impact,
                        title, description, urgency, status, route_target, route_tool, created_at, updated_at)
                    VALUES (@Id, @Reference, @CollegeUai, @Ut, 'Claire Martin', 'c@ac-creteil.fr', @Zone, @Category, 'incident', FALSE,
                        'Panne', 'Une panne.', 'normal', @Status, @Target, @Tool, @CreatedAt, @CreatedAt)
                    """, tickets, UnitOfWork.Current));
                await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO ticket_milestones (ticket_id, received_at, routed_at, first_target, first_rule, triage_at, triage_left_at, forwarded_at,
                        in_progress_at, replied_at, resolved_at, closed_at, failed_at, reroutes, reopened)
                    VALUES (@TicketId, @ReceivedAt, @RoutedAt, @FirstTarget, @FirstRule, @TriageAt, @TriageLeftAt, @ForwardedAt,
                        @InProgressAt, @RepliedAt, @ResolvedAt, @ClosedAt, NULL, @Reroutes, @Reopened)
                    """, milestones, UnitOfWork.Current));
            }, CancellationToken.None);
        }
    }
}
