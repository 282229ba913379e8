using System.Globalization;
using System.Text.Json;
using TicketHub.Classifier.Suggestions;

namespace TicketHub.Classifier.Tests.Suggestions;

/// <summary>
/// A first measure for the similar-tickets search of issue 16 (not built yet): on the hand-written
/// reports of <c>tests/data/requests/similar-reports.jsonl</c> (224 reports of 122 faults in six
/// collèges), every pair of reports of one collège is scored by the cosine of their TF-IDF vectors over
/// <see cref="FrenchText"/>'s terms, numbers kept (room numbers tell faults apart) (IDF from the labelled set and the reports), with and without
/// requiring the same category, and at each threshold it prints how many pairs called similar are the
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
        using var text = new FrenchText(keepNumbers: true);
        var documents = reports.Select(r => text.Terms(r.Title + " " + r.Title + "\n" + r.Description)).ToList();
        var corpus = documents.Concat(LabelledSet.Shipped().Select(r => text.Terms(r.Title + "\n" + r.Description))).ToList();
        var idf = corpus.SelectMany(terms => terms.Distinct()).GroupBy(t => t, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Math.Log((1.0 + corpus.Count) / (1.0 + g.Count())) + 1, StringComparer.Ordinal);
        var vectors = documents.Select(terms => Vector(terms, idf)).ToList();

        var pairs = new List<(double Score, bool Same, bool SameCategory)>();
        for (var i = 0; i < reports.Count; i++)
        {
            for (var j = i + 1; j < reports.Count; j++)
            {
                if (reports[i].College == reports[j].College)
                {
                    pairs.Add((Cosine(vectors[i], vectors[j]), reports[i].Fault == reports[j].Fault, reports[i].Category == reports[j].Category));
                }
            }
        }

        // What the form would show: for a report with another of the same fault, that collège's other
        // reports ranked by likeness, the first three at or above the threshold.
        var shown = new List<(bool Hit, int Shown, int Right)>[Thresholds.Length];
        for (var t = 0; t < Thresholds.Length; t++)
        {
            shown[t] = [];
            for (var i = 0; i < reports.Count; i++)
            {
                if (!reports.Where((r, j) => j != i && r.Fault == reports[i].Fault).Any())
                {
                    continue;
                }

                var top = Enumerable.Range(0, reports.Count)
                    .Where(j => j != i && reports[j].College == reports[i].College)
                    .Select(j => (j, Score: Cosine(vectors[i], vectors[j])))
                    .Where(x => x.Score >= Thresholds[t])
                    .OrderByDescending(x => x.Score).Take(3).ToList();
                var right = top.Count(x => reports[x.j].Fault == reports[i].Fault);
                shown[t].Add((right > 0, top.Count, right));
            }
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

        for (var t = 0; t < Thresholds.Length; t++)
        {
            var lists = shown[t];
            report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"form, top 3 at cosine ≥ {Thresholds[t]:F2}: for {lists.Count} reports of a fault reported before or after, the same fault is among those shown for {lists.Count(l => l.Hit) / (double)lists.Count:P1}; of the {lists.Sum(l => l.Shown)} shown, {lists.Sum(l => l.Right) / (double)Math.Max(1, lists.Sum(l => l.Shown)):P1} are the same fault"));
        }
    }

    private static Dictionary<string, double> Vector(IReadOnlyList<string> terms, Dictionary<string, double> idf)
    {
        var vector = terms.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (1 + Math.Log(g.Count())) * idf[g.Key], StringComparer.Ordinal);
        var norm = Math.Sqrt(vector.Values.Sum(v => v * v));
        return norm == 0 ? vector : vector.ToDictionary(kv => kv.Key, kv => kv.Value / norm, StringComparer.Ordinal);
    }

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b) =>
        (a.Count <= b.Count ? a : b).Sum(kv => (a.Count <= b.Count ? b : a).TryGetValue(kv.Key, out var other) ? kv.Value * other : 0);

    private static List<Report> Reports()
    {
        var path = Path.Combine(Path.GetDirectoryName(RepoFiles.SeedCsv)!, "..", "tests", "data", "requests", "similar-reports.jsonl");
        return [.. File.ReadLines(path).Where(line => !string.IsNullOrWhiteSpace(line)).Select(line => JsonSerializer.Deserialize<Report>(line, JsonSerializerOptions.Web)!)];
    }

    private sealed record Report(string Id, string College, string Fault, string Title, string Description, string Zone, string Category, int DaysAgo);
}
