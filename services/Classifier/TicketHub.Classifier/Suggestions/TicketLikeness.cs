namespace TicketHub.Classifier.Suggestions;

/// <summary>
/// How alike two reports read (issue 16): the cosine of their TF-IDF vectors over
/// <see cref="FrenchText"/>'s terms, numbers kept (a room number tells two reports of one fault apart),
/// the title counted twice. Word weights (IDF) come from a corpus of collège requests (the labelled
/// set): a word common to many requests (« panne ») weighs little, a rare one (« 204 », « massicot »)
/// much; a word the corpus never saw weighs as the rarest. Measured by <c>SimilarityEvaluation</c>
/// (docs/performance.md). Immutable once built; safe to share between threads.
/// </summary>
public sealed class TicketLikeness : IDisposable
{
    /// <summary>At or above this cosine, a ticket is shown as possibly the same fault (chosen in docs/performance.md: 82 % of those shown are).</summary>
    public const double Threshold = 0.20;

    private readonly FrenchText _analyzer = new(keepNumbers: true);
    private readonly Dictionary<string, double> _idf;
    private readonly double _unseen;

    public TicketLikeness(IEnumerable<LabelledRequest> corpus)
    {
        var documents = corpus.Select(r => Terms(r.Title, r.Description)).ToList();
        _idf = documents.SelectMany(terms => terms.Distinct(StringComparer.Ordinal))
            .GroupBy(term => term, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Weight(documents.Count, g.Count()), StringComparer.Ordinal);
        _unseen = Weight(documents.Count, 0);
    }

    /// <summary>The terms a report is compared on: its title twice, then its description.</summary>
    public IReadOnlyList<string> Terms(string? title, string? description) =>
        _analyzer.Terms($"{title}\n{title}\n{description}");

    /// <summary>The unit TF-IDF vector of <paramref name="terms"/> (sublinear term frequency).</summary>
    public IReadOnlyDictionary<string, double> Vector(IEnumerable<string> terms)
    {
        var vector = terms.GroupBy(t => t, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (1 + Math.Log(g.Count())) * _idf.GetValueOrDefault(g.Key, _unseen), StringComparer.Ordinal);
        var norm = Math.Sqrt(vector.Values.Sum(v => v * v));
        if (norm > 0)
        {
            foreach (var term in vector.Keys)
            {
                vector[term] /= norm;
            }
        }

        return vector;
    }

    /// <summary>The cosine of two unit vectors: 0 (no word in common) to 1 (the same words in the same proportions).</summary>
    public static double Cosine(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b)
    {
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var sum = 0.0;
        foreach (var (term, weight) in small)
        {
            if (large.TryGetValue(term, out var other))
            {
                sum += weight * other;
            }
        }

        return sum;
    }

    public void Dispose() => _analyzer.Dispose();

    private static double Weight(int documents, int containing) => Math.Log((1.0 + documents) / (1.0 + containing)) + 1;
}
