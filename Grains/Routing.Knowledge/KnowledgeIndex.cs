using System.Collections.Concurrent;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Routing.Contracts.Knowledge;

namespace Routing.Knowledge;

/// <summary>
/// One workspace's knowledge base as a Lucene index in memory (docs/self-service.md, "Search"): the enabled articles'
/// titles, question variants and answers, each analysed as Chinese and as English (<see cref="KnowledgeAnalysis"/>).
/// Changes arrive as article versions (<see cref="Apply"/>); searches run concurrently with them on the last refreshed
/// view. A disabled or deleted article leaves the index: it is never an answer.
/// </summary>
public sealed class KnowledgeIndex : IDisposable
{
    /// <summary>How much a term found in the title or a question variant counts beside one found in the answer.</summary>
    private const float QuestionBoost = 3f;

    /// <summary>A near miss of an English word (a typo) counts for less than the word itself.</summary>
    private const float TypoBoost = 1.5f;

    private readonly RAMDirectory _directory = new();
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly System.Threading.Lock _gate = new();

    public KnowledgeIndex()
    {
        _writer = new IndexWriter(_directory, new IndexWriterConfig(KnowledgeAnalysis.Version, KnowledgeAnalysis.ForIndex));
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, searcherFactory: null);
    }

    /// <summary>The articles that can be found.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// Takes the articles' latest versions: an enabled one is indexed (replacing its earlier version), a disabled or
    /// deleted one taken out. Searches see all of them once this returns.
    /// </summary>
    public void Apply(IEnumerable<KnowledgeArticle> articles)
    {
        ArgumentNullException.ThrowIfNull(articles);
        lock (_gate)
        {
            foreach (var article in articles)
            {
                var id = new Term("id", article.ArticleId);
                if (article.Deleted || !article.Enabled)
                {
                    _writer.DeleteDocuments(id);
                    _entries.TryRemove(article.ArticleId, out _);
                    continue;
                }
                _writer.UpdateDocument(id, DocumentOf(article));
                _entries[article.ArticleId] = Entry.Of(article);
            }
            _searchers.MaybeRefreshBlocking();
        }
    }

    /// <summary>
    /// The articles that best answer <paramref name="query"/>'s text, best first, each with how much of the question
    /// it covers; empty when the text holds no word.
    /// </summary>
    public IReadOnlyList<KnowledgeHit> Search(KnowledgeQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var asked = Entry.Terms(query.Text);
        if (asked.Chinese.Count == 0 && asked.English.Count == 0)
        {
            return [];
        }
        var searcher = _searchers.Acquire();
        try
        {
            var top = searcher.Search(QueryOf(asked, query), Math.Clamp(query.Limit, 1, KnowledgeQuery.MaxLimit));
            var hits = new List<KnowledgeHit>(top.ScoreDocs.Length);
            foreach (var scored in top.ScoreDocs)
            {
                var id = searcher.Doc(scored.Doc).Get("id");
                if (_entries.TryGetValue(id, out var entry))
                {
                    hits.Add(new KnowledgeHit(entry.Article, scored.Score, entry.Coverage(asked)));
                }
            }
            return hits;
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
    }

    private static Document DocumentOf(KnowledgeArticle article)
    {
        var questions = string.Join('\n', article.Questions);
        var document = new Document
        {
            new StringField("id", article.ArticleId, Field.Store.YES),
            new StringField("language", article.Language, Field.Store.NO),
            new StringField("topic", article.Topic ?? "", Field.Store.NO),
        };
        foreach (var suffix in new[] { KnowledgeAnalysis.ChineseSuffix, KnowledgeAnalysis.EnglishSuffix })
        {
            document.Add(new TextField("title" + suffix, article.Title, Field.Store.NO));
            document.Add(new TextField("questions" + suffix, questions, Field.Store.NO));
            document.Add(new TextField("answer" + suffix, article.Answer, Field.Store.NO));
        }
        return document;
    }

    /// <summary>
    /// Any asked term may match (the more and the rarer, the better), in the title and questions more than in the
    /// answer; an English word of four letters or more also matches its near misses. The language and topic, when
    /// asked, must match.
    /// </summary>
    private static BooleanQuery QueryOf(Entry.TermSets asked, KnowledgeQuery query)
    {
        var terms = new BooleanQuery();
        foreach (var term in asked.Chinese)
        {
            AddTerm(terms, KnowledgeAnalysis.ChineseSuffix, term);
        }
        foreach (var term in asked.English)
        {
            AddTerm(terms, KnowledgeAnalysis.EnglishSuffix, term);
            if (Entry.TyposAllowed(term) is > 0 and var edits)
            {
                foreach (var field in new[] { "title", "questions" })
                {
                    var fuzzy = new TypoQuery(new Term(field + KnowledgeAnalysis.EnglishSuffix, term), edits) { Boost = TypoBoost };
                    terms.Add(fuzzy, Occur.SHOULD);
                }
            }
        }
        var whole = new BooleanQuery { { terms, Occur.MUST } };
        if (query.Language is { } language)
        {
            whole.Add(new TermQuery(new Term("language", language)) { Boost = 0 }, Occur.MUST);
        }
        if (query.Topic is { } topic)
        {
            whole.Add(new TermQuery(new Term("topic", topic)) { Boost = 0 }, Occur.MUST);
        }
        return whole;
    }

    private static void AddTerm(BooleanQuery query, string suffix, string term)
    {
        query.Add(new TermQuery(new Term("title" + suffix, term)) { Boost = QuestionBoost }, Occur.SHOULD);
        query.Add(new TermQuery(new Term("questions" + suffix, term)) { Boost = QuestionBoost }, Occur.SHOULD);
        query.Add(new TermQuery(new Term("answer" + suffix, term)), Occur.SHOULD);
    }

    /// <summary>An indexed article with the terms of its title and questions, to measure how much of a question it covers.</summary>
    private sealed record Entry(KnowledgeArticle Article, Entry.TermSets Asks)
    {
        public sealed record TermSets(IReadOnlyList<string> Chinese, IReadOnlyList<string> English);

        public static Entry Of(KnowledgeArticle article) => new(article, Terms(string.Join('\n', [article.Title, .. article.Questions])));

        public static TermSets Terms(string text) => new(KnowledgeAnalysis.ChineseTerms(text), KnowledgeAnalysis.EnglishTerms(text));

        /// <summary>How many edits an English term may be off by and still match: none below four letters.</summary>
        public static int TyposAllowed(string term) =>
            term.Length switch
            {
                < 4 => 0,
                < 8 => 1,
                _ => 2,
            };

        /// <summary>
        /// The share of the asked terms this article's title and questions hold — read as Chinese or as English,
        /// whichever covers more; an English term counts when a word of the article is within its typo allowance.
        /// </summary>
        public double Coverage(TermSets asked)
        {
            var chinese = Share(asked.Chinese, t => Asks.Chinese.Contains(t, StringComparer.Ordinal));
            var english = Share(asked.English, t => Asks.English.Any(a => EditDistance.Within(t, a, TyposAllowed(t))));
            return Math.Max(chinese, english);
        }

        private static double Share(IReadOnlyList<string> terms, Func<string, bool> held) =>
            terms.Count == 0 ? 0 : (double)terms.Count(held) / terms.Count;
    }
}
