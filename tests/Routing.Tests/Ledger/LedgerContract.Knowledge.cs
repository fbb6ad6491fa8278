using Routing.Contracts.Knowledge;
using static Routing.Tests.Ledger.LedgerSamples;

namespace Routing.Tests.Ledger;

// The knowledge base (docs/self-service.md): each article's current version, its whole history, and what changed since a stamp.
public abstract partial class LedgerContract
{
    [Fact]
    public async Task ASavedArticleIsItsCurrentVersionAndTheFirstOfItsHistory()
    {
        var ledger = await OpenAsync();
        var article = Article("returns");

        await ledger.SaveArticleAsync(Acme, article);

        Structural.Equal(article, await ledger.GetArticleAsync(Acme, "returns"));
        Structural.Equal<IReadOnlyList<KnowledgeArticle>>([article], await ledger.ListArticlesAsync(Acme));
        Structural.Equal<IReadOnlyList<KnowledgeArticle>>([article], await ledger.ListArticleHistoryAsync(Acme, "returns"));
    }

    [Fact]
    public async Task EachSaveReplacesTheCurrentVersionAndEveryVersionStaysInTheHistoryOldestFirst()
    {
        var ledger = await OpenAsync();
        var first = Article("returns");
        var second = Article("returns", 2, title: "Returning an order") with { Tags = [], Topic = null, UpdatedBy = null };
        var third = Article("returns", 3, title: "Returns within 30 days") with { Enabled = false, Questions = [] };

        foreach (var version in new[] { first, second, third })
        {
            await ledger.SaveArticleAsync(Acme, version);
        }

        Structural.Equal(third, await ledger.GetArticleAsync(Acme, "returns"));
        Structural.Equal<IReadOnlyList<KnowledgeArticle>>([third], await ledger.ListArticlesAsync(Acme));
        Structural.Equal<IReadOnlyList<KnowledgeArticle>>([first, second, third], await ledger.ListArticleHistoryAsync(Acme, "returns"));
    }

    [Fact]
    public async Task ArticlesAreListedByIdWithoutTheDeletedOnes()
    {
        var ledger = await OpenAsync();
        foreach (var id in new[] { "c", "a", "b", "B" })
        {
            await ledger.SaveArticleAsync(Acme, Article(id));
        }
        await ledger.SaveArticleAsync(Acme, Article("b", 2, deleted: true));

        Assert.Equal(["B", "a", "c"], (await ledger.ListArticlesAsync(Acme)).Select(a => a.ArticleId));
    }

    [Fact]
    public async Task ADeletedArticleReadsAsNothingKeepsItsHistoryAndItsIdMayBeUsedAgain()
    {
        var ledger = await OpenAsync();
        var first = Article("returns");
        var deletion = Article("returns", 2, deleted: true);

        await ledger.SaveArticleAsync(Acme, first);
        await ledger.SaveArticleAsync(Acme, deletion);

        Assert.Null(await ledger.GetArticleAsync(Acme, "returns"));
        Assert.Empty(await ledger.ListArticlesAsync(Acme));
        Structural.Equal<IReadOnlyList<KnowledgeArticle>>([first, deletion], await ledger.ListArticleHistoryAsync(Acme, "returns"));

        var again = Article("returns", 3, title: "Returns, rewritten");
        await ledger.SaveArticleAsync(Acme, again);

        Structural.Equal(again, await ledger.GetArticleAsync(Acme, "returns"));
        Assert.Equal([1L, 2L, 3L], (await ledger.ListArticleHistoryAsync(Acme, "returns")).Select(a => a.Version));
    }

    [Fact]
    public async Task ChangesSinceAStampAreTheCurrentRowsSavedAfterItInOrderDeletionsIncluded()
    {
        var ledger = await OpenAsync();
        var nothing = await ledger.ListArticlesChangedSinceAsync(Acme, 0);
        Assert.Empty(nothing.Articles);
        Assert.Equal(0, nothing.Stamp);

        await ledger.SaveArticleAsync(Acme, Article("b"));
        await ledger.SaveArticleAsync(Acme, Article("a"));
        var all = await ledger.ListArticlesChangedSinceAsync(Acme, 0);
        Assert.Equal(["b", "a"], all.Articles.Select(a => a.ArticleId));
        Assert.True(all.Stamp > 0);

        var none = await ledger.ListArticlesChangedSinceAsync(Acme, all.Stamp);
        Assert.Empty(none.Articles);
        Assert.Equal(all.Stamp, none.Stamp);

        var updated = Article("b", 2, title: "Returns, updated");
        var deletion = Article("a", 2, deleted: true);
        await ledger.SaveArticleAsync(Acme, updated);
        await ledger.SaveArticleAsync(Acme, deletion);
        await ledger.SaveArticleAsync(Acme, Article("c"));
        var changed = await ledger.ListArticlesChangedSinceAsync(Acme, all.Stamp);
        Structural.Equal<IReadOnlyList<KnowledgeArticle>>([updated, deletion, Article("c")], changed.Articles);
        Assert.True(changed.Stamp > all.Stamp);

        // Just below the highest stamp is the last save alone; from the start, every current row once, at its last save.
        var last = await ledger.ListArticlesChangedSinceAsync(Acme, changed.Stamp - 1);
        Assert.Equal(["c"], last.Articles.Select(a => a.ArticleId));
        var current = await ledger.ListArticlesChangedSinceAsync(Acme, 0);
        Assert.Equal([("b", 2L), ("a", 2L), ("c", 1L)], current.Articles.Select(a => (a.ArticleId, a.Version)));
        Assert.Equal(changed.Stamp, current.Stamp);
    }

    [Fact]
    public async Task AnotherWorkspacesArticlesNeverAppear()
    {
        var ledger = await OpenAsync();
        await ledger.SaveArticleAsync(Acme, Article("returns", title: "Acme returns"));
        var acmeStamp = (await ledger.ListArticlesChangedSinceAsync(Acme, 0)).Stamp;
        await ledger.SaveArticleAsync(Globex, Article("returns", title: "Globex returns"));
        await ledger.SaveArticleAsync(Globex, Article("returns", 2, title: "Globex returns, again"));
        await ledger.SaveArticleAsync(Globex, Article("shipping"));

        Assert.Equal("Acme returns", (await ledger.GetArticleAsync(Acme, "returns"))?.Title);
        Assert.Null(await ledger.GetArticleAsync(Acme, "shipping"));
        Assert.Equal(["returns"], (await ledger.ListArticlesAsync(Acme)).Select(a => a.ArticleId));
        Assert.Equal(["Acme returns"], (await ledger.ListArticleHistoryAsync(Acme, "returns")).Select(a => a.Title));
        var acme = await ledger.ListArticlesChangedSinceAsync(Acme, 0);
        Assert.Equal(["Acme returns"], acme.Articles.Select(a => a.Title));
        Assert.Equal(acmeStamp, acme.Stamp);
        Assert.Empty((await ledger.ListArticlesChangedSinceAsync(Acme, acmeStamp)).Articles);

        Assert.Equal(["returns", "shipping"], (await ledger.ListArticlesAsync(Globex)).Select(a => a.ArticleId));
        Assert.Equal([1L, 2L], (await ledger.ListArticleHistoryAsync(Globex, "returns")).Select(a => a.Version));
        Assert.Empty(await ledger.ListArticlesAsync("initech"));
    }

    [Fact]
    public async Task AChineseArticleRoundTripsCharacterForCharacter()
    {
        var ledger = await OpenAsync();
        var article = Article("退货") with
        {
            Title = "如何退货？",
            Questions = ["我想退货", "商品坏了可以退吗", "七天无理由退货"],
            Answer = "在「我的订单」中选择订单，点击「申请退货」。详情：https://example.com/退货 😊",
            Topic = "售后",
            Language = KnowledgeArticle.Chinese,
            Tags = ["退货", "订单"],
            UpdatedBy = "王芳",
        };

        await ledger.SaveArticleAsync(Acme, article);

        Structural.Equal(article, await ledger.GetArticleAsync(Acme, "退货"));
        Structural.Equal<IReadOnlyList<KnowledgeArticle>>([article], await ledger.ListArticleHistoryAsync(Acme, "退货"));
        Structural.Equal<IReadOnlyList<KnowledgeArticle>>([article], (await ledger.ListArticlesChangedSinceAsync(Acme, 0)).Articles);
    }

    [Fact]
    public async Task SavingAVersionAlreadyStoredFailsAndChangesNothing()
    {
        var ledger = await OpenAsync();
        var first = Article("returns");
        var second = Article("returns", 2, title: "Returns, second");
        await ledger.SaveArticleAsync(Acme, first);
        await ledger.SaveArticleAsync(Acme, second);
        var stamp = (await ledger.ListArticlesChangedSinceAsync(Acme, 0)).Stamp;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Within(ledger.SaveArticleAsync(Acme, Article("returns", 2, title: "Returns, second again")))
        );
        await Assert.ThrowsAsync<InvalidOperationException>(() => Within(ledger.SaveArticleAsync(Acme, first)));

        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
        Structural.Equal(second, await ledger.GetArticleAsync(Acme, "returns"));
        Structural.Equal<IReadOnlyList<KnowledgeArticle>>([first, second], await ledger.ListArticleHistoryAsync(Acme, "returns"));
        Assert.Empty((await ledger.ListArticlesChangedSinceAsync(Acme, stamp)).Articles);
    }

    [Fact]
    public async Task ARefusedVersionFailsOnlyItsOwnSaveNotTheWritesQueuedBesideIt()
    {
        var ledger = await OpenAsync();
        await ledger.SaveArticleAsync(Acme, Article("returns"));

        // Queued together, not awaited one by one, so the writer is free to commit them in one batch.
        var before = ledger.SaveQueueAsync(Acme, Queue("billing"));
        var duplicate = ledger.SaveArticleAsync(Acme, Article("returns", title: "Returns, once more"));
        var after = ledger.SaveArticleAsync(Acme, Article("shipping"));

        await Within(Task.WhenAll(before, after));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Within(duplicate));
        Assert.NotNull(await ledger.GetQueueAsync(Acme, "billing"));
        Assert.Equal(["How do I return an order?"], (await ledger.ListArticleHistoryAsync(Acme, "returns")).Select(a => a.Title));
        Assert.Equal(["returns", "shipping"], (await ledger.ListArticlesAsync(Acme)).Select(a => a.ArticleId));
    }

    [Fact]
    public async Task AnArticleMissingARequiredValueIsRefusedBeforeItIsQueued()
    {
        var ledger = await OpenAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => ledger.SaveArticleAsync(Acme, Article("")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ledger.SaveArticleAsync(Acme, Article("a") with { Title = null! }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ledger.SaveArticleAsync(Acme, Article("a", version: 0)));

        Assert.Empty((await ledger.ListArticlesChangedSinceAsync(Acme, 0)).Articles);
    }

    [Fact]
    public async Task ALedgerFromBeforeTheKnowledgeBaseGainsItsTablesOnItsFirstStartAndKeepsThemAfter()
    {
        var ledger = await OpenAsync();
        await ledger.SaveQueueAsync(Acme, Queue("billing"));
        await CloseAsync(ledger);
        await ExecuteSqlAsync("DROP TABLE knowledge_article_versions");
        await ExecuteSqlAsync("DROP TABLE knowledge_articles");
        await ExecuteSqlAsync("DELETE FROM schema_version WHERE version = 4");

        ledger = await OpenAsync();

        Structural.Equal(Queue("billing"), await ledger.GetQueueAsync(Acme, "billing"));
        Assert.Empty(await ledger.ListArticlesAsync(Acme));
        await ledger.SaveArticleAsync(Acme, Article("returns"));
        var stamp = (await ledger.ListArticlesChangedSinceAsync(Acme, 0)).Stamp;
        await CloseAsync(ledger);

        ledger = await OpenAsync();

        Structural.Equal(Article("returns"), await ledger.GetArticleAsync(Acme, "returns"));
        await ledger.SaveArticleAsync(Acme, Article("returns", 2));
        var changed = await ledger.ListArticlesChangedSinceAsync(Acme, stamp);
        Assert.Equal([2L], changed.Articles.Select(a => a.Version));
        Assert.True(changed.Stamp > stamp);
    }
}
