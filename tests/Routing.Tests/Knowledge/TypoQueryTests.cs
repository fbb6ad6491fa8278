using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Routing.Knowledge;

namespace Routing.Tests.Knowledge;

/// <summary>
/// The search's typo matching with its automata cached (docs/self-service.md, "Typos"): it must find exactly what Lucene's
/// own <see cref="FuzzyQuery"/> finds with the same settings, with the same scores, over an index of several segments —
/// asked twice, so the second answer comes from the cache — and the automata must be the cache's.
/// </summary>
public sealed class TypoQueryTests
{
    [Fact]
    public void ATypoQueryFindsWhatAFuzzyQueryFindsWithTheSameScoresFromTheCacheToo()
    {
        using var directory = new RAMDirectory();
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48))
        {
            MaxBufferedDocs = 2,
        };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (
                var text in new[]
                {
                    "refund parcel",
                    "refunds delivery",
                    "deliveri address",
                    "adress change",
                    "where wear were",
                    "delivered parcels",
                    "𝒜lpha alpha",
                    "退货 refund",
                }
            )
            {
                writer.AddDocument(new Document { new TextField("f", text, Field.Store.NO) });
            }
        }
        using var reader = DirectoryReader.Open(directory);
        Assert.True(reader.Leaves.Count > 1, "the index should have several segments");
        var searcher = new IndexSearcher(reader);

        foreach (
            var (word, edits) in new[]
            {
                ("refnud", 1),
                ("delivery", 2),
                ("adress", 1),
                ("wher", 1),
                ("parcle", 1),
                ("x", 1),
                ("𝒜lpah", 1),
                ("退货", 1),
                ("refund", 0),
                ("typoqueryy", 2), // a word no other test searches: its automata are built here, by this test
            }
        )
        {
            var expected = searcher.Search(new FuzzyQuery(new Term("f", word), edits, prefixLength: 1), 10);
            for (var round = 0; round < 2; round++)
            {
                var actual = searcher.Search(new TypoQuery(new Term("f", word), edits), 10);
                Assert.Equal(expected.ScoreDocs.Select(d => (d.Doc, d.Score)), actual.ScoreDocs.Select(d => (d.Doc, d.Score)));
            }
        }
        Assert.True(TypoQuery.Automata.Holds("typoqueryy", 2), "the automata were not taken from the cache");
        Assert.False(TypoQuery.Automata.Holds("x", 1)); // nothing to be fuzzy about: no automaton
    }
}
