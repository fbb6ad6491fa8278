using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Util;
using Routing.Contracts;

namespace Routing.Knowledge;

/// <summary>
/// The most frequent terms of customers' first messages per interval (docs/self-service.md, "Keywords"), found by the
/// knowledge base's own analyzers: the Chinese words SmartCn finds (of two characters or more: single characters are
/// mostly particles and pronouns — 我, 的, 吗 — that would top every interval), and the English terms of the English
/// analyzer (stop words out, Porter stems: "refunds" and "refunded" count as one), with the words every question is
/// made of — how, what, I, my, can, please… — out as well. A term counts once per message.
/// </summary>
public static class Keywords
{
    private static readonly string[] QuestionWords =
    [
        "how",
        "what",
        "where",
        "when",
        "why",
        "who",
        "which",
        "do",
        "does",
        "did",
        "can",
        "could",
        "would",
        "should",
        "i",
        "me",
        "my",
        "you",
        "your",
        "we",
        "our",
        "am",
        "has",
        "have",
        "had",
        "get",
        "got",
        "want",
        "need",
        "please",
        "hi",
        "hello",
        "thanks",
        "thank",
        "still",
        "yet",
    ];

    private static readonly EnglishAnalyzer English = new(
        KnowledgeAnalysis.Version,
        new CharArraySet(KnowledgeAnalysis.Version, EnglishAnalyzer.DefaultStopSet.Concat(QuestionWords).ToList(), ignoreCase: true)
    );

    /// <summary>The terms of one message.</summary>
    public static IReadOnlyList<string> Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chinese = KnowledgeAnalysis.ChineseTerms(text).Where(t => t.Length >= 2 && t.Any(IsCjk));
        return chinese.Concat(KnowledgeAnalysis.Terms(English, text).Where(t => !t.Any(IsCjk))).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The <paramref name="top"/> terms of each interval of <paramref name="interval"/> from <paramref name="from"/> to
    /// <paramref name="to"/> with any message, by the number of messages they appear in, then alphabetically.
    /// </summary>
    public static IReadOnlyList<KeywordRow> Top(
        IEnumerable<FirstMessage> messages,
        DateTimeOffset from,
        DateTimeOffset to,
        TimeSpan interval,
        int top
    )
    {
        ArgumentNullException.ThrowIfNull(messages);
        var rows = new List<KeywordRow>();
        var byInterval = messages
            .Where(m => m.Text is not null && m.CreatedAt >= from && m.CreatedAt < to)
            .GroupBy(m => (m.CreatedAt - from).Ticks / interval.Ticks)
            .OrderBy(g => g.Key);
        foreach (var group in byInterval)
        {
            var start = from + interval * group.Key;
            var end = start + interval < to ? start + interval : to;
            var ranked = group
                .SelectMany(m => Of(m.Text!))
                .GroupBy(t => t, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(top)
                .Select((g, i) => new KeywordRow(start, end, i + 1, g.Key, g.Count()));
            rows.AddRange(ranked);
        }
        return rows;
    }

    private static bool IsCjk(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';
}
