using TicketHub.Contracts;

namespace TicketHub.Intake.Indicators;

/// <summary>One ticket as the indicators read it: where it is now, and when each step first happened (<c>ticket_milestones</c>).</summary>
public sealed class TicketFacts
{
    public string Status { get; init; } = "";
    public string? Target { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? RoutedAt { get; init; }
    public string? FirstTarget { get; init; }
    public string? FirstRule { get; init; }
    public DateTimeOffset? TriageAt { get; init; }
    public DateTimeOffset? TriageLeftAt { get; init; }
    public DateTimeOffset? ForwardedAt { get; init; }
    public DateTimeOffset? InProgressAt { get; init; }
    public DateTimeOffset? RepliedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    public int Reroutes { get; init; }
    public bool Reopened { get; init; }

    /// <summary>The team's first sign of work: the tool took the ticket in hand, or replied, whichever came first.</summary>
    public DateTimeOffset? FirstResponseAt => (InProgressAt, RepliedAt) switch
    {
        ({ } a, { } b) => a < b ? a : b,
        (var a, var b) => a ?? b,
    };
}

/// <summary>A count and its share of a whole (0..1; null when the whole is empty).</summary>
public sealed record Share(int Count, int Of)
{
    public double? Rate => Of == 0 ? null : Math.Round((double)Count / Of, 4);
}

/// <summary>Median and 90th percentile of some delays, in hours (nearest rank); null when there is none.</summary>
public sealed record DelaySummary(int Count, double? MedianHours, double? P90Hours)
{
    public static DelaySummary Of(IEnumerable<TimeSpan> delays)
    {
        var sorted = delays.Select(d => d.TotalHours).Order().ToArray();
        return new DelaySummary(sorted.Length, Percentile(sorted, 0.5), Percentile(sorted, 0.9));
    }

    /// <summary>The nearest rank: the smallest value such that at least <paramref name="q"/> of the values are at most it.</summary>
    public static double? Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? null : Math.Round(sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)], 2);
}

/// <summary>One delay, from the ticket's reception to a step, in calendar time and in school working time.</summary>
public sealed record Delay(string Step, string Label, DelaySummary Calendar, DelaySummary Working);

public sealed record CountBy(string Key, int Count);

/// <summary>How often the first automatic route of a rule was corrected by a person.</summary>
public sealed record RerouteRate(string Rule, int Routed, int Rerouted, double? Rate);

public sealed record Volumes(int Received, IReadOnlyList<CountBy> ByTarget, IReadOnlyList<CountBy> ByRule);

/// <summary>The tickets that went to the Pôle TIE's triage, and how long they stayed there (those that left it).</summary>
public sealed record TriageFigures(Share Sent, int StillThere, DelaySummary Time);

public sealed record Reroutes(Share Rerouted, IReadOnlyList<RerouteRate> ByRule);

/// <summary>The open tickets now (whatever their date of reception), by age.</summary>
public sealed record Backlog(int Open, IReadOnlyList<CountBy> ByAge, int WaitingForCollege, int Failed);

public sealed record Failures(int AttachmentsRefused, int Failed, int? DeadLetters);

/// <summary>The indicators of the tickets received in a period (<see cref="IndicatorsReport.Compute"/>).</summary>
public sealed record IndicatorsView(
    DateOnly From,
    DateOnly To,
    IndicatorsFilter Filter,
    Volumes Volumes,
    TriageFigures Triage,
    Reroutes Reroutes,
    IReadOnlyList<Delay> Delays,
    Share Reopened,
    Backlog Backlog,
    Failures Failures)
{
    /// <summary>The infogérant's visits made in the period (by UT and collège only); null for the Rectorat and the building service.</summary>
    public VisitFigures? Visits { get; init; }
}

/// <summary>The infogérant's visits of a period: how many, to how many collèges, and per collège (most visited first).</summary>
public sealed record VisitFigures(int Count, int Colleges, IReadOnlyList<CountBy> ByCollege)
{
    public static VisitFigures Of(IReadOnlyList<CountBy> byCollege) => new(byCollege.Sum(c => c.Count), byCollege.Count, byCollege);
}

/// <summary>
/// The indicators' definitions, on the tickets <b>received</b> in the period (the cohort) and, for the
/// backlog, the tickets open now; each written in <c>docs/indicators.md</c>:
/// <list type="bullet">
/// <item>volumes: tickets received, by the team they are routed to now and by the rule of their first route;</item>
/// <item>triage: share of the received sent to the Pôle TIE's triage (R8, R0), time there for those that left it;</item>
/// <item>re-routes: share of the tickets first routed to a team (not to triage) that a person sent elsewhere, per rule of the first route;</item>
/// <item>delays from reception to: the route, the team's tool, the first response (taken in hand or replied),
/// the resolution, the closing; median and 90th percentile, calendar and school working time (a tool's
/// clock behind the hub's gives zero, never a negative delay);</item>
/// <item>reopened: share of the resolved tickets the tool opened again;</item>
/// <item>backlog: open tickets by age band, those waiting for the collège, those failed;</item>
/// <item>problems: files a tool refused, tickets that failed, dead letters (every service's, Pôle TIE only).</item>
/// </list>
/// </summary>
public static class IndicatorsReport
{
    public const string Unrouted = "non-orientee";

    /// <summary>The backlog's age bands, in calendar days: [lower, upper).</summary>
    public static IReadOnlyList<(string Key, double FromDays, double ToDays)> AgeBands { get; } =
    [
        ("moins-de-2-jours", 0, 2),
        ("2-a-7-jours", 2, 7),
        ("7-a-30-jours", 7, 30),
        ("plus-de-30-jours", 30, double.PositiveInfinity),
    ];

    /// <param name="refusedFiles">The files a tool refused among the received tickets' (counted by the database).</param>
    public static IndicatorsView Compute(DateOnly from, DateOnly to, IndicatorsFilter filter, IReadOnlyList<TicketFacts> received,
        IReadOnlyList<TicketFacts> open, int refusedFiles, int? deadLetters, DateTimeOffset now, SchoolCalendar calendar)
    {
        var volumes = new Volumes(
            received.Count,
            CountsBy(received, t => t.Target ?? Unrouted),
            CountsBy(received.Where(t => t.FirstRule is not null), t => t.FirstRule!));

        var triaged = received.Where(t => t.TriageAt is not null).ToList();
        var triage = new TriageFigures(
            new Share(triaged.Count, received.Count),
            triaged.Count(t => t.TriageLeftAt is null),
            DelaySummary.Of(triaged.Where(t => t.TriageLeftAt is not null).Select(t => t.TriageLeftAt!.Value - t.TriageAt!.Value)));

        // A first route to triage is no mistake to correct: the Pôle TIE routes it by hand.
        var routed = received.Where(t => t.RoutedAt is not null && t.FirstTarget is not null && t.FirstTarget != RouteTargets.Triage).ToList();
        var reroutes = new Reroutes(
            new Share(routed.Count(t => t.Reroutes > 0), routed.Count),
            [.. routed.Where(t => t.FirstRule is not null).GroupBy(t => t.FirstRule!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new RerouteRate(g.Key, g.Count(), g.Count(t => t.Reroutes > 0), Math.Round((double)g.Count(t => t.Reroutes > 0) / g.Count(), 4)))]);

        Delay DelayOf(string step, string label, Func<TicketFacts, DateTimeOffset?> at)
        {
            var pairs = received.Where(t => at(t) is not null).Select(t => (t.ReceivedAt, At: at(t)!.Value)).ToList();
            return new Delay(step, label,
                DelaySummary.Of(pairs.Select(p => p.At > p.ReceivedAt ? p.At - p.ReceivedAt : TimeSpan.Zero)),
                DelaySummary.Of(pairs.Select(p => calendar.Between(p.ReceivedAt, p.At))));
        }

        IReadOnlyList<Delay> delays =
        [
            DelayOf("route", "Orientation", t => t.RoutedAt),
            DelayOf("tool", "Arrivée dans l'outil de l'équipe", t => t.ForwardedAt),
            DelayOf("first-response", "Première prise en charge ou réponse", t => t.FirstResponseAt),
            DelayOf("resolve", "Résolution", t => t.ResolvedAt),
            DelayOf("close", "Clôture", t => t.ClosedAt),
        ];

        var resolved = received.Where(t => t.ResolvedAt is not null || t.ClosedAt is not null).ToList();
        var reopened = new Share(resolved.Count(t => t.Reopened), resolved.Count);

        var stillOpen = open.Where(t => HubStatuses.IsOpen(t.Status)).ToList();
        var backlog = new Backlog(
            stillOpen.Count,
            [.. AgeBands.Select(band => new CountBy(band.Key, stillOpen.Count(t =>
            {
                var age = (now - t.ReceivedAt).TotalDays;
                return age >= band.FromDays && age < band.ToDays;
            })))],
            stillOpen.Count(t => t.Status == HubStatuses.Waiting),
            stillOpen.Count(t => t.Status == HubStatuses.Failed));

        var failures = new Failures(refusedFiles, received.Count(t => t.FailedAt is not null), deadLetters);
        return new IndicatorsView(from, to, filter, volumes, triage, reroutes, delays, reopened, backlog, failures);
    }

    private static IReadOnlyList<CountBy> CountsBy(IEnumerable<TicketFacts> tickets, Func<TicketFacts, string> key) =>
        [.. tickets.GroupBy(key, StringComparer.Ordinal).Select(g => new CountBy(g.Key, g.Count())).OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal)];
}
