using TicketHub.Contracts;
using TicketHub.Intake.Indicators;

namespace TicketHub.Intake.Tests.Indicators;

/// <summary>Each indicator's definition (docs/indicators.md), on ticket histories built by hand.</summary>
public sealed class IndicatorsReportTests
{
    // Monday 23 November 2026, 9:00 in Paris.
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(1));
    private static readonly DateOnly From = new(2026, 11, 1);
    private static readonly DateOnly To = new(2026, 12, 1);
    private static readonly IndicatorsFilter NoFilter = new(null, null, null, null, null, null);

    private static TicketFacts Ticket(string status, string? target = RouteTargets.Infogerant, string? rule = "R4", double routedAfterMinutes = 1,
        double? forwardedAfterHours = null, double? takenAfterHours = null, double? repliedAfterHours = null, double? resolvedAfterHours = null,
        double? closedAfterHours = null, int reroutes = 0, bool reopened = false, string? firstTarget = null, double? triageHours = null,
        bool stillInTriage = false, bool failed = false, DateTimeOffset? received = null)
    {
        var at = received ?? Monday;
        DateTimeOffset? After(double? hours) => hours is { } h ? at.AddHours(h) : null;
        var routedAt = at.AddMinutes(routedAfterMinutes);
        return new TicketFacts
        {
            Status = status,
            Target = target,
            ReceivedAt = at,
            RoutedAt = routedAt,
            FirstTarget = firstTarget ?? target,
            FirstRule = rule,
            TriageAt = triageHours is not null || stillInTriage ? routedAt : null,
            TriageLeftAt = triageHours is { } t ? routedAt.AddHours(t) : null,
            ForwardedAt = After(forwardedAfterHours),
            InProgressAt = After(takenAfterHours),
            RepliedAt = After(repliedAfterHours),
            ResolvedAt = After(resolvedAfterHours),
            ClosedAt = After(closedAfterHours),
            FailedAt = failed ? routedAt : null,
            Reroutes = reroutes,
            Reopened = reopened,
        };
    }

    private static IndicatorsView Compute(IReadOnlyList<TicketFacts> received, IReadOnlyList<TicketFacts>? open = null, DateTimeOffset? now = null, int refusedFiles = 0) =>
        IndicatorsReport.Compute(From, To, NoFilter, received, open ?? received, refusedFiles, 3, now ?? Monday.AddDays(10), SchoolCalendarTests.Calendar);

    [Test]
    public void Volumes_count_the_tickets_received_by_the_team_they_are_with_now_and_by_the_rule_of_their_first_route()
    {
        var view = Compute(
        [
            Ticket(HubStatuses.Forwarded),
            Ticket(HubStatuses.Forwarded),
            Ticket(HubStatuses.Forwarded, target: RouteTargets.Pass, rule: "R1"),
            // Sent to the infogérant by R4, then re-routed to PASS: with PASS now, R4 still.
            Ticket(HubStatuses.Routed, target: RouteTargets.Pass, rule: "R4", firstTarget: RouteTargets.Infogerant, reroutes: 1),
            Ticket(HubStatuses.Received, target: null, rule: null),
        ]);

        Assert.That(view.Volumes.Received, Is.EqualTo(5));
        Assert.That(view.Volumes.ByTarget, Is.EqualTo(new[] { new CountBy("infogerant", 2), new CountBy("pass", 2), new CountBy(IndicatorsReport.Unrouted, 1) }));
        Assert.That(view.Volumes.ByRule, Is.EqualTo(new[] { new CountBy("R4", 3), new CountBy("R1", 1) }));
    }

    [Test]
    public void Triage_is_the_share_sent_there_and_the_time_until_the_Pôle_TIE_routed_them()
    {
        var view = Compute(
        [
            Ticket(HubStatuses.Routed, target: RouteTargets.Pass, rule: "R8", firstTarget: RouteTargets.Triage, triageHours: 2, reroutes: 1),
            Ticket(HubStatuses.Routed, target: RouteTargets.Infogerant, rule: "R8", firstTarget: RouteTargets.Triage, triageHours: 6, reroutes: 1),
            Ticket(HubStatuses.Triage, target: RouteTargets.Triage, rule: "R8", stillInTriage: true),
            Ticket(HubStatuses.Forwarded),
        ]);

        Assert.That(view.Triage.Sent, Is.EqualTo(new Share(3, 4)));
        Assert.That(view.Triage.Sent.Rate, Is.EqualTo(0.75));
        Assert.That(view.Triage.StillThere, Is.EqualTo(1));
        Assert.That((view.Triage.Time.Count, view.Triage.Time.MedianHours, view.Triage.Time.P90Hours), Is.EqualTo((2, 2.0, 6.0)));
        Assert.That(view.Reroutes.Rerouted, Is.EqualTo(new Share(0, 1)), "routing a triage ticket is no correction of a mistake");
    }

    [Test]
    public void Reroutes_are_the_share_of_the_tickets_first_sent_to_a_team_that_a_person_sent_elsewhere_per_rule()
    {
        var view = Compute(
        [
            Ticket(HubStatuses.Routed, target: RouteTargets.Pass, rule: "R4", firstTarget: RouteTargets.Infogerant, reroutes: 1),
            Ticket(HubStatuses.Forwarded, rule: "R4"),
            Ticket(HubStatuses.Forwarded, rule: "R4"),
            Ticket(HubStatuses.Forwarded, rule: "R4"),
            Ticket(HubStatuses.Forwarded, target: RouteTargets.Omere, rule: "R6"),
        ]);

        Assert.That(view.Reroutes.Rerouted, Is.EqualTo(new Share(1, 5)));
        Assert.That(view.Reroutes.ByRule, Is.EqualTo(new[] { new RerouteRate("R4", 4, 1, 0.25), new RerouteRate("R6", 1, 0, 0) }));
    }

    [Test]
    public void Delays_run_from_reception_as_median_and_90th_percentile_by_nearest_rank_for_the_tickets_that_reached_the_step()
    {
        var view = Compute(
        [
            Ticket(HubStatuses.Closed, forwardedAfterHours: 1, takenAfterHours: 2, resolvedAfterHours: 4, closedAfterHours: 5),
            Ticket(HubStatuses.Closed, forwardedAfterHours: 2, repliedAfterHours: 3, takenAfterHours: 6, resolvedAfterHours: 8, closedAfterHours: 9),
            Ticket(HubStatuses.Resolved, forwardedAfterHours: 3, takenAfterHours: 4, resolvedAfterHours: 30),
            Ticket(HubStatuses.InProgress, forwardedAfterHours: 4, repliedAfterHours: 5),
            Ticket(HubStatuses.Routed),
        ]);

        var delays = view.Delays.ToDictionary(d => d.Step);
        Assert.That((delays["route"].Calendar.Count, delays["route"].Calendar.MedianHours), Is.EqualTo((5, 0.02)), "one minute");
        Assert.That(delays["tool"].Calendar, Is.EqualTo(new DelaySummary(4, 2, 4)), "[1, 2, 3, 4]: the 2nd and the 4th");
        Assert.That(delays["first-response"].Calendar, Is.EqualTo(new DelaySummary(4, 3, 5)), "the earlier of taken in hand and replied: [2, 3, 4, 5]");
        Assert.That(delays["resolve"].Calendar, Is.EqualTo(new DelaySummary(3, 8, 30)));
        Assert.That(delays["close"].Calendar, Is.EqualTo(new DelaySummary(2, 5, 9)));
    }

    [Test]
    public void Working_delays_leave_out_nights_weekends_and_holidays()
    {
        // Friday 16 October 16:00, before the autumn holidays; resolved on Monday 2 November at 9:00.
        var friday = new DateTimeOffset(2026, 10, 16, 16, 0, 0, TimeSpan.FromHours(2));
        var resolvedAfter = (new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(1)) - friday).TotalHours;

        var view = Compute([Ticket(HubStatuses.Resolved, received: friday, resolvedAfterHours: resolvedAfter)]);

        var resolve = view.Delays.Single(d => d.Step == "resolve");
        Assert.That(resolve.Calendar.MedianHours, Is.EqualTo(402), "16 days and 18 hours, as the clock runs");
        Assert.That(resolve.Working.MedianHours, Is.EqualTo(2), "an hour on Friday, an hour on Monday");
    }

    [Test]
    public void A_tool_whose_clock_is_behind_the_hubs_gives_a_zero_delay_never_a_negative_one()
    {
        var view = Compute([Ticket(HubStatuses.InProgress, forwardedAfterHours: 1, takenAfterHours: -0.5)]);

        Assert.That(view.Delays.Single(d => d.Step == "first-response").Calendar.MedianHours, Is.Zero);
    }

    [Test]
    public void Reopened_is_the_share_of_the_resolved_or_closed_tickets_the_tool_opened_again()
    {
        var view = Compute(
        [
            Ticket(HubStatuses.InProgress, resolvedAfterHours: 3, reopened: true),
            Ticket(HubStatuses.Closed, resolvedAfterHours: 3, closedAfterHours: 5),
            Ticket(HubStatuses.Closed, closedAfterHours: 5),
            Ticket(HubStatuses.Resolved, resolvedAfterHours: 1),
            Ticket(HubStatuses.InProgress),
        ]);

        Assert.That(view.Reopened, Is.EqualTo(new Share(1, 4)));
    }

    [Test]
    public void The_backlog_counts_the_open_tickets_now_by_age_and_those_waiting_for_the_collège()
    {
        var now = Monday.AddDays(40);
        var open = new[]
        {
            Ticket(HubStatuses.InProgress, received: now.AddHours(-5)),
            Ticket(HubStatuses.Waiting, received: now.AddDays(-3)),
            Ticket(HubStatuses.Waiting, received: now.AddDays(-8)),
            Ticket(HubStatuses.Failed, received: now.AddDays(-8), failed: true),
            Ticket(HubStatuses.Forwarded, received: now.AddDays(-31)),
            Ticket(HubStatuses.Resolved, received: now.AddDays(-31)),
        };

        var view = Compute([], open, now);

        Assert.That(view.Backlog.Open, Is.EqualTo(5), "resolved is not open");
        Assert.That(view.Backlog.ByAge.Select(b => b.Count), Is.EqualTo(new[] { 1, 1, 2, 1 }));
        Assert.That((view.Backlog.WaitingForCollege, view.Backlog.Failed), Is.EqualTo((2, 1)));
    }

    [Test]
    public void Failures_count_the_files_a_tool_refused_the_tickets_that_failed_and_the_dead_letters()
    {
        var view = Compute([Ticket(HubStatuses.Forwarded), Ticket(HubStatuses.Failed, failed: true), Ticket(HubStatuses.Forwarded)], refusedFiles: 3);

        Assert.That(view.Failures, Is.EqualTo(new Failures(3, 1, 3)));
    }

    [Test]
    public void Nothing_received_gives_zero_counts_and_no_delay_rather_than_an_error()
    {
        var view = Compute([]);

        Assert.That(view.Volumes.Received, Is.Zero);
        Assert.That(view.Triage.Sent.Rate, Is.Null);
        Assert.That(view.Delays.All(d => d.Calendar is { Count: 0, MedianHours: null, P90Hours: null }), Is.True);
    }
}
