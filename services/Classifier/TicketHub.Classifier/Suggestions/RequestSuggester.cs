using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;

namespace TicketHub.Classifier.Suggestions;

/// <summary>
/// Suggests a request's zone and category from its title and description: the labelled requests that
/// read most like it (Lucene's BM25 over <see cref="FrenchText"/>'s terms) vote, each with its score,
/// and a suggestion's confidence is its share of the votes. Missing neighbours (a text that resembles
/// few requests) count as votes for nothing, so a lone lookalike does not make a confident guess.
/// Immutable once built; safe to share between threads.
/// </summary>
public sealed class RequestSuggester : IDisposable
{
    /// <summary>How many lookalikes vote.</summary>
    public const int Neighbours = 10;

    private const string TextField = "text";
    private const string TitleField = "title";
    private const string ZoneField = "zone";
    private const string CategoryField = "category";

    /// <summary>A word of the title counts this much more than one of the description.</summary>
    private const float TitleBoost = 1.5f;

    private readonly FrenchText _analyzer = new();
    private readonly RAMDirectory _directory = new();
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;

    public RequestSuggester(IEnumerable<LabelledRequest> examples)
    {
        using (var writer = new IndexWriter(_directory, new IndexWriterConfig(FrenchText.Version, _analyzer)))
        {
            foreach (var example in examples)
            {
                writer.AddDocument(new Document
                {
                    new TextField(TitleField, example.Title, Field.Store.NO),
                    new TextField(TextField, example.Title + "\n" + example.Description, Field.Store.NO),
                    new StringField(ZoneField, example.Zone, Field.Store.YES),
                    new StringField(CategoryField, example.Category, Field.Store.YES),
                });
            }

            writer.Commit();
        }

        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader);
    }

    /// <summary>How many labelled requests the suggestions come from.</summary>
    public int Examples => _reader.NumDocs;

    public Suggestion Suggest(string? title, string? description)
    {
        var titleTerms = _analyzer.Terms(title ?? "").Distinct(StringComparer.Ordinal).ToList();
        var textTerms = _analyzer.Terms((title ?? "") + "\n" + (description ?? "")).Distinct(StringComparer.Ordinal).ToList();
        if (textTerms.Count == 0)
        {
            return Suggestion.None;
        }

        var query = new BooleanQuery();
        foreach (var term in textTerms.Take(BooleanQuery.MaxClauseCount / 2))
        {
            query.Add(new TermQuery(new Term(TextField, term)), Occur.SHOULD);
        }

        foreach (var term in titleTerms.Take(BooleanQuery.MaxClauseCount / 2))
        {
            query.Add(new TermQuery(new Term(TitleField, term)) { Boost = TitleBoost }, Occur.SHOULD);
        }

        var hits = _searcher.Search(query, Neighbours).ScoreDocs;
        if (hits.Length == 0)
        {
            return Suggestion.None;
        }

        var zones = new Dictionary<string, double>(StringComparer.Ordinal);
        var categories = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var hit in hits)
        {
            var document = _searcher.Doc(hit.Doc);
            Add(zones, document.Get(ZoneField), hit.Score);
            Add(categories, document.Get(CategoryField), hit.Score);
        }

        var total = hits.Sum(hit => (double)hit.Score) + ((Neighbours - hits.Length) * hits[^1].Score);
        var (zone, zoneVotes) = zones.MaxBy(vote => vote.Value);
        var (category, categoryVotes) = categories.MaxBy(vote => vote.Value);
        return new Suggestion(zone, zoneVotes / total, category, categoryVotes / total, hits.Length);
    }

    private static void Add(Dictionary<string, double> votes, string label, float score) =>
        votes[label] = votes.GetValueOrDefault(label) + score;

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }
}

/// <param name="Zone"><c>ZP</c> or <c>ZA</c>, or null when nothing resembles the text.</param>
/// <param name="ZoneConfidence">Share of the lookalikes' votes, 0 to 1.</param>
/// <param name="Category">A category code, or null.</param>
/// <param name="Neighbours">How many lookalikes voted (at most <see cref="RequestSuggester.Neighbours"/>).</param>
public sealed record Suggestion(string? Zone, double ZoneConfidence, string? Category, double CategoryConfidence, int Neighbours)
{
    public static Suggestion None { get; } = new(null, 0, null, 0, 0);
}
