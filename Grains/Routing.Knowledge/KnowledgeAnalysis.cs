using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace Routing.Knowledge;

/// <summary>
/// How text becomes search terms (docs/self-service.md, "Search"): every text is read twice, once as Chinese by
/// SmartCn (which finds the words in a run of characters and keeps Latin words whole) and once as English by the
/// English analyzer (lower case, stop words out, Porter stems), whatever the article's language. Customers mix the two
/// ("iPhone 退货", "怎么 refund"), and an English word in a Chinese article must still be found.
/// </summary>
public static class KnowledgeAnalysis
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>The suffix of a field analysed as Chinese.</summary>
    public const string ChineseSuffix = "_zh";

    /// <summary>The suffix of a field analysed as English.</summary>
    public const string EnglishSuffix = "_en";

    private static readonly Analyzer Chinese = new SmartChineseAnalyzer(Version);

    private static readonly Analyzer English = new EnglishAnalyzer(Version);

    /// <summary>The analyzer of the index: by the field's suffix; fields without one are kept whole.</summary>
    public static Analyzer ForIndex { get; } =
        new PerFieldAnalyzerWrapper(
            new KeywordAnalyzer(),
            new Dictionary<string, Analyzer>(StringComparer.Ordinal)
            {
                ["title" + ChineseSuffix] = Chinese,
                ["questions" + ChineseSuffix] = Chinese,
                ["answer" + ChineseSuffix] = Chinese,
                ["title" + EnglishSuffix] = English,
                ["questions" + EnglishSuffix] = English,
                ["answer" + EnglishSuffix] = English,
            }
        );

    /// <summary>The distinct Chinese terms of <paramref name="text"/>, punctuation left out.</summary>
    public static IReadOnlyList<string> ChineseTerms(string text) => Terms(Chinese, text);

    /// <summary>The distinct English terms of <paramref name="text"/>: stemmed, stop words left out.</summary>
    public static IReadOnlyList<string> EnglishTerms(string text) => Terms(English, text);

    /// <summary>The distinct terms <paramref name="analyzer"/> makes of <paramref name="text"/>, punctuation left out.</summary>
    internal static List<string> Terms(Analyzer analyzer, string text)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            var value = term.ToString();
            if (value.Any(char.IsLetterOrDigit) && !terms.Contains(value, StringComparer.Ordinal))
            {
                terms.Add(value);
            }
        }
        stream.End();
        return terms;
    }
}
