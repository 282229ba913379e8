using System.Globalization;
using System.Text.Json;
using TicketHub.Classifier.Suggestions;

namespace TicketHub.Classifier.Tests.Suggestions;

/// <summary>
/// The measure of the similar-tickets search of issue 16: on the hand-written reports of
/// <c>tests/data/requests/similar-reports.jsonl</c> (224 reports of 122 faults in six collèges), every
/// pair of reports of one collège is scored by <see cref="TicketLikeness"/>, the measure the index of
/// open tickets uses (word weights from the shipped labelled set), with and without requiring the same category, and at each threshold it prints how many pairs called similar are the
/// same fault (precision) and how many same-fault pairs are found (recall). Printed, never asserted.
/// </summary>
[TestFixture]
[Category("Performance")]
public sealed class SimilarityEvaluation
{
    private static readonly double[] Thresholds = [0.1, 0.15, 0.2, 0.3, 0.4];

    [Test]
    public void Same_fault_pairs_by_text_similarity()
    {
        var reports = Reports();
        using var likeness = new TicketLikeness(LabelledSet.Shipped());
        var vectors = reports.Select(r => likeness.Vector(likeness.Terms(r.Title, r.Description))).ToList();

        var pairs = new List<(double Score, bool Same, bool SameCategory)>();
        for (var i = 0; i < reports.Count; i++)
        {
            for (var j = i + 1; j < reports.Count; j++)
            {
                if (reports[i].College == reports[j].College)
                {
                    pairs.Add((TicketLikeness.Cosine(vectors[i], vectors[j]), reports[i].Fault == reports[j].Fault, reports[i].Category == reports[j].Category));
                }
            }
        }

        // What the form would show: for a report with another of the same fault, that collège's other
        // reports ranked by likeness, the first three at or above the threshold; then, as the form
        // really sees them, only the reports made before it (the open tickets it can join).
        List<(bool Hit, int Shown, int Right)> Shown(double threshold, bool earlierOnly)
        {
            var lists = new List<(bool Hit, int Shown, int Right)>();
            for (var i = 0; i < reports.Count; i++)
            {
                bool Candidate(int j) => j != i && reports[j].College == reports[i].College && (!earlierOnly || reports[j].DaysAgo > reports[i].DaysAgo);
                if (!Enumerable.Range(0, reports.Count).Any(j => Candidate(j) && reports[j].Fault == reports[i].Fault))
                {
                    continue;
                }

                var top = Enumerable.Range(0, reports.Count).Where(Candidate)
                    .Select(j => (j, Score: TicketLikeness.Cosine(vectors[i], vectors[j])))
                    .Where(x => x.Score >= threshold)
                    .OrderByDescending(x => x.Score).Take(3).ToList();
                var right = top.Count(x => reports[x.j].Fault == reports[i].Fault);
                lists.Add((right > 0, top.Count, right));
            }

            return lists;
        }

        var report = TestContext.Out;
        var same = pairs.Count(p => p.Same);
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{reports.Count} reports, {reports.Select(r => r.Fault).Distinct().Count()} faults: {pairs.Count} pairs within a collège, {same} of the same fault"));
        foreach (var sameCategoryOnly in new[] { false, true })
        {
            foreach (var threshold in Thresholds)
            {
                var called = pairs.Where(p => p.Score >= threshold && (!sameCategoryOnly || p.SameCategory)).ToList();
                var right = called.Count(p => p.Same);
                report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(sameCategoryOnly ? "same category, " : "")}cosine ≥ {threshold:F2}: {called.Count} pairs called similar, precision {(called.Count == 0 ? 1 : right / (double)called.Count):P1}, recall {right / (double)same:P1}"));
            }
        }

        foreach (var earlierOnly in new[] { false, true })
        {
            foreach (var threshold in Thresholds)
            {
                var lists = Shown(threshold, earlierOnly);
                report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"form{(earlierOnly ? " (earlier reports only)" : "")}, top 3 at cosine ≥ {threshold:F2}: for {lists.Count} reports of a fault reported {(earlierOnly ? "before" : "before or after")}, the same fault is among those shown for {lists.Count(l => l.Hit) / (double)lists.Count:P1}; of the {lists.Sum(l => l.Shown)} shown, {lists.Sum(l => l.Right) / (double)Math.Max(1, lists.Sum(l => l.Shown)):P1} are the same fault"));
            }
        }
    }

    private static List<Report> Reports()
    {
        var path = Path.Combine(Path.GetDirectoryName(RepoFiles.SeedCsv)!, "..", "tests", "data", "requests", "similar-reports.jsonl");
        return [.. File.ReadLines(path).Where(line => !string.IsNullOrWhiteSpace(line)).Select(line => JsonSerializer.Deserialize<Report>(line, JsonSerializerOptions.Web)!)];
    }

    private sealed record Report(string Id, string College, string Fault, string Title, string Description, string Zone, string Category, int DaysAgo);
}
