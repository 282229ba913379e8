using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace TicketHub.Classifier.Suggestions;

/// <summary>
/// How a collège's French text is compared (Lucene's French analysis): words split, numbers dropped
/// unless asked for (a room number says nothing of the zone, and a rare one would make the two
/// labelled requests of room 107 outvote everything else; it does tell two reports of one fault
/// apart, so the similar-tickets measure keeps them), elisions removed (« l'imprimante » → « imprimante »), lower case, French
/// stop words dropped, accents folded (a request typed without accents reads as one typed with them),
/// then light stemming (« imprimantes », « imprimante » → one term).
/// </summary>
/// <param name="keepNumbers">Keep numbers (room, floor, post numbers) as terms.</param>
public sealed class FrenchText(bool keepNumbers = false) : Analyzer
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private static readonly string[] Numbers = [StandardTokenizer.TOKEN_TYPES[StandardTokenizer.NUM]];

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream result = new StandardFilter(Version, source);
        if (!keepNumbers)
        {
            result = new TypeTokenFilter(Version, result, Numbers);
        }

        result = new ElisionFilter(result, FrenchAnalyzer.DEFAULT_ARTICLES);
        result = new LowerCaseFilter(Version, result);
        result = new StopFilter(Version, result, FrenchAnalyzer.DefaultStopSet);
        result = new ASCIIFoldingFilter(result);
        result = new FrenchLightStemFilter(result);
        return new TokenStreamComponents(source, result);
    }

    /// <summary>The terms of <paramref name="text"/>, in order, repeats included.</summary>
    public IReadOnlyList<string> Terms(string text)
    {
        var terms = new List<string>();
        using var stream = GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }
}
