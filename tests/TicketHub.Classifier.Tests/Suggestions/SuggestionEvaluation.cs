using System.Diagnostics;
using System.Globalization;
using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.Classifier.Suggestions;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Tests.Suggestions;

/// <summary>
/// How good the zone and category suggestions are on the labelled set (issue 16), printed, never
/// asserted: five-fold cross-validation (each request suggested from the other four fifths), then, at
/// each confidence threshold, how many requests get a suggestion (coverage) and how many of those are
/// right (precision); and what that does to triage when every requester answers « Je ne sais pas » to
/// the zone, through the Seine-Saint-Denis rule set. Figures go to <c>docs/performance.md</c>:
/// <c>dotnet test tests/TicketHub.Classifier.Tests -c Release --filter "FullyQualifiedName~SuggestionEvaluation" --logger "console;verbosity=detailed"</c>.
/// </summary>
[TestFixture]
[Category("Performance")]
public sealed class SuggestionEvaluation
{
    private const int Folds = 5;

    private static readonly double[] Thresholds = [0.5, 0.6, 0.7, 0.8, 0.9];

    private static readonly DateTimeOffset CreatedAt = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A collège whose ZA the Département has taken over: ZP and ZA both go to the infogérant, PASS keeps the national applications.</summary>
    private static readonly College TakenOver = new("0931234X", "Collège Jean Moulin", "Aubervilliers", "UT1", false, new DateOnly(2024, 1, 8), 1972);

    /// <summary>Not taken over yet: the ZA goes to PASS, so a wrong zone sends the ticket to the wrong team.</summary>
    private static readonly College NotTakenOver = new("0931235A", "Collège Lucie Aubrac", "Saint-Denis", "UT2", false, null, 1985);

    [Test]
    public void Zone_and_category_suggestions_by_cross_validation()
    {
        var requests = LabelledSet.Shipped();
        var outcomes = CrossValidate(requests);
        var report = TestContext.Out;
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{requests.Count} labelled requests, {Folds}-fold cross-validation, {RequestSuggester.Neighbours} neighbours"));
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"top suggestion right: zone {outcomes.Count(o => o.Suggestion.Zone == o.Request.Zone) / (double)outcomes.Count:P1}, category {outcomes.Count(o => o.Suggestion.Category == o.Request.Category) / (double)outcomes.Count:P1}"));
        foreach (var threshold in Thresholds)
        {
            var zones = outcomes.Where(o => o.Suggestion.ZoneConfidence >= threshold).ToList();
            var categories = outcomes.Where(o => o.Suggestion.CategoryConfidence >= threshold).ToList();
            report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"threshold {threshold:F1}: zone coverage {zones.Count / (double)outcomes.Count:P1} precision {Precision(zones, o => o.Suggestion.Zone == o.Request.Zone):P1}; "
                + $"category coverage {categories.Count / (double)outcomes.Count:P1} precision {Precision(categories, o => o.Suggestion.Category == o.Request.Category):P1}"));
        }
    }

    [Test]
    public void Triage_when_every_requester_does_not_know_the_zone()
    {
        var ruleSet = RuleSetLoader.Load(RepoFiles.SeineSaintDenis);
        var outcomes = CrossValidate(LabelledSet.Shipped());
        var report = TestContext.Out;
        foreach (var college in new[] { TakenOver, NotTakenOver })
        {
            var today = outcomes.Select(o => Route(ruleSet, null, o, college)).ToList();
            var triageToday = today.Count(route => route.Target == RouteTargets.Triage);
            report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(college.ZaRepriseDate is null ? "ZA not taken over" : "ZA taken over")}: today's rules send {triageToday} of {outcomes.Count} to triage ({triageToday / (double)outcomes.Count:P1})"));
            foreach (var threshold in Thresholds)
            {
                var withSuggestion = outcomes.Select(o => Route(ruleSet, threshold, o, college)).ToList();
                var triage = withSuggestion.Count(route => route.Target == RouteTargets.Triage);
                var moved = outcomes.Zip(today, withSuggestion).Where(t => t.Second.Target == RouteTargets.Triage && t.Third.Target != RouteTargets.Triage).ToList();
                var right = moved.Count(t => t.Third.Target == Route(ruleSet, null, t.First, college, t.First.Request.Zone).Target);
                report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  threshold {threshold:F1}: triage {triage} ({triage / (double)outcomes.Count:P1}, {(triageToday == 0 ? 0 : triage / (double)triageToday):P0} of today's); routed instead {moved.Count}, to the right team {right} ({(moved.Count == 0 ? 1 : right / (double)moved.Count):P1})"));
            }
        }
    }

    [Test]
    public void Suggestion_latency()
    {
        var requests = LabelledSet.Shipped();
        using var suggester = new RequestSuggester(requests);
        var clock = new Stopwatch();
        var times = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            foreach (var request in requests)
            {
                clock.Restart();
                suggester.Suggest(request.Title, request.Description);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"suggestion from {suggester.Examples} requests: p50 {times[times.Count / 2]:F2} ms, p95 {times[(int)(times.Count * 0.95)]:F2} ms, max {times[^1]:F2} ms ({times.Count} calls, the first round warming up)"));
    }

    private static RouteDecision Route(RuleSet ruleSet, double? threshold, Outcome outcome, College college, string? zone = null)
    {
        var request = outcome.Request;
        var ticket = new TicketDetails(college.Uai, new Requester("Claire Martin", "claire.martin@example.fr", null), zone, request.Category, "incident", false,
            request.Title, request.Description, "normale", null, null);
        return new RoutingPolicy(ruleSet, threshold).Decide(ticket, CreatedAt, college, outcome.Suggestion);
    }

    private static List<Outcome> CrossValidate(IReadOnlyList<LabelledRequest> requests)
    {
        var outcomes = new List<Outcome>(requests.Count);
        for (var fold = 0; fold < Folds; fold++)
        {
            var current = fold;
            using var suggester = new RequestSuggester(requests.Where((_, i) => i % Folds != current));
            outcomes.AddRange(requests.Where((_, i) => i % Folds == current)
                .Select(request => new Outcome(request, suggester.Suggest(request.Title, request.Description))));
        }

        return outcomes;
    }

    private static double Precision(List<Outcome> covered, Func<Outcome, bool> right) =>
        covered.Count == 0 ? 1 : covered.Count(right) / (double)covered.Count;

    private sealed record Outcome(LabelledRequest Request, Suggestion Suggestion);
}
