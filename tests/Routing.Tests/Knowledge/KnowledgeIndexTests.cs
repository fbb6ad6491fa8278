using Routing.Contracts.Knowledge;
using Routing.Knowledge;
using Xunit.Abstractions;

namespace Routing.Tests.Knowledge;

/// <summary>
/// The knowledge base's search on a small bilingual set (<see cref="KnowledgeSet"/>): how often the right article comes
/// first, and that what is disabled, deleted, of another language or topic never comes at all.
/// </summary>
public sealed class KnowledgeIndexTests(ITestOutputHelper output) : IDisposable
{
    private readonly KnowledgeIndex _index = Indexed(KnowledgeSet.Articles);

    public void Dispose() => _index.Dispose();

    [Fact]
    public void MostQuestionsFindTheirArticleFirstAndNearlyAllInTheTopThreeWhateverTheLanguageOrTypos()
    {
        var answerable = KnowledgeSet.Questions.Where(q => q.Expected is not null).ToList();
        var ranks = answerable
            .Select(q =>
                (
                    q.Question,
                    q.Expected,
                    Found: _index.Search(new KnowledgeQuery(q.Question, Limit: 3)).Select(h => h.Article.ArticleId).ToList()
                )
            )
            .ToList();
        var first = ranks.Count(r => r.Found.FirstOrDefault() == r.Expected);
        var topThree = ranks.Count(r => r.Found.Contains(r.Expected!));
        foreach (var miss in ranks.Where(r => r.Found.FirstOrDefault() != r.Expected))
        {
            output.WriteLine($"'{miss.Question}': expected {miss.Expected}, found [{string.Join(", ", miss.Found)}]");
        }
        output.WriteLine(
            $"hit rate: first {first} of {ranks.Count} ({(double)first / ranks.Count:P0}), "
                + $"top three {topThree} ({(double)topThree / ranks.Count:P0})"
        );

        Assert.True(first >= ranks.Count * 0.85, $"only {first} of {ranks.Count} found their article first");
        Assert.True(topThree >= ranks.Count * 0.95, $"only {topThree} of {ranks.Count} found their article in the top three");
    }

    [Fact]
    public void AQuestionTheBaseCannotAnswerHasNoGoodMatchWhileAnsweredOnesDo()
    {
        foreach (var (question, expected) in KnowledgeSet.Questions)
        {
            var best = _index.Search(new KnowledgeQuery(question)).FirstOrDefault();
            output.WriteLine($"{question}: {best?.Article.ArticleId ?? "-"} coverage {best?.Coverage:0.00}");
            if (expected is null)
            {
                Assert.False(best is not null && best.GoodMatch, $"'{question}' matched {best?.Article.ArticleId}");
            }
        }
        var answered = KnowledgeSet
            .Questions.Where(q => q.Expected is not null)
            .Count(q => _index.Search(new KnowledgeQuery(q.Question)).FirstOrDefault() is { } hit && hit.GoodMatch);
        Assert.True(answered >= KnowledgeSet.Questions.Count(q => q.Expected is not null) * 0.8, $"only {answered} had a good match");
    }

    [Fact]
    public void ADisabledOrDeletedArticleIsNeverFoundAndAnEditedOneIsFoundByItsNewWords()
    {
        var refund = KnowledgeSet.Articles.Single(a => a.ArticleId == "refund");
        Assert.Equal("refund", Top("refund please"));

        _index.Apply([refund with { Enabled = false, Version = 2 }]);
        Assert.NotEqual("refund", Top("refund please"));

        _index.Apply([refund with { Version = 3, Questions = ["reimbursement"] }]);
        Assert.Equal("refund", Top("reimbursement"));

        _index.Apply([refund with { Version = 4, Deleted = true }]);
        Assert.NotEqual("refund", Top("reimbursement"));
        Assert.Equal(KnowledgeSet.Articles.Count - 1, _index.Count);
    }

    [Fact]
    public void TheLanguageAndTopicAskedForAreTheOnlyOnesAnswered()
    {
        var zh = _index.Search(new KnowledgeQuery("refund 退款", Language: KnowledgeArticle.Chinese, Limit: 10));
        Assert.NotEmpty(zh);
        Assert.All(zh, h => Assert.Equal(KnowledgeArticle.Chinese, h.Article.Language));

        var delivery = _index.Search(new KnowledgeQuery("address 地址 refund 退款", Topic: "delivery", Limit: 10));
        Assert.NotEmpty(delivery);
        Assert.All(delivery, h => Assert.Equal("delivery", h.Article.Topic));
    }

    [Fact]
    public void TextWithoutAWordFindsNothing()
    {
        Assert.Empty(_index.Search(new KnowledgeQuery("？！… ---")));
        Assert.Empty(_index.Search(new KnowledgeQuery("")));
    }

    [Theory]
    [InlineData("refund", "refnud", 1, true)]
    [InlineData("refund", "refudn", 1, true)]
    [InlineData("refund", "rfund", 1, true)]
    [InlineData("refund", "refunds", 1, true)]
    [InlineData("refund", "rebund", 1, true)]
    [InlineData("refund", "rebond", 1, false)]
    [InlineData("tracking", "trakcnig", 2, true)]
    [InlineData("ab", "ba", 0, false)]
    [InlineData("", "abc", 2, false)]
    public void EditDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps(string a, string b, int edits, bool within)
    {
        Assert.Equal(within, EditDistance.Within(a, b, edits));
        Assert.Equal(within, EditDistance.Within(b, a, edits));
    }

    private string? Top(string question) => _index.Search(new KnowledgeQuery(question)).FirstOrDefault()?.Article.ArticleId;

    private static KnowledgeIndex Indexed(IEnumerable<KnowledgeArticle> articles)
    {
        var index = new KnowledgeIndex();
        index.Apply(articles);
        return index;
    }
}
