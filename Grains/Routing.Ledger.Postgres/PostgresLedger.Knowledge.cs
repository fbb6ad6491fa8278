using Routing.Contracts.Knowledge;

namespace Routing.Ledger;

// The knowledge base's reads and the agents' saved replies (docs/self-service.md), on pooled connections like every other read.
public sealed partial class PostgresLedger
{
    public async Task<KnowledgeArticle?> GetArticleAsync(
        string workspace,
        string articleId,
        CancellationToken cancellationToken = default
    ) =>
        (
            await ListAsync(PostgresSchema.SelectArticle, LedgerRows.Article, cancellationToken, workspace, articleId).ConfigureAwait(false)
        ).FirstOrDefault();

    public Task<IReadOnlyList<KnowledgeArticle>> ListArticlesAsync(string workspace, CancellationToken cancellationToken = default) =>
        ListAsync(PostgresSchema.SelectArticles, LedgerRows.Article, cancellationToken, workspace);

    public Task<IReadOnlyList<KnowledgeArticle>> ListArticleHistoryAsync(
        string workspace,
        string articleId,
        CancellationToken cancellationToken = default
    ) => ListAsync(PostgresSchema.SelectArticleHistory, LedgerRows.Article, cancellationToken, workspace, articleId);

    public async Task<KnowledgeChanges> ListArticlesChangedSinceAsync(
        string workspace,
        long afterStamp,
        CancellationToken cancellationToken = default
    )
    {
        var changed = await ListAsync(
                PostgresSchema.SelectArticlesChangedSince,
                row => (Article: LedgerRows.Article(row), Stamp: row.GetInt64(1)),
                cancellationToken,
                workspace,
                afterStamp
            )
            .ConfigureAwait(false);
        // In stamp order: the last is the highest.
        return new KnowledgeChanges([.. changed.Select(c => c.Article)], changed.Count > 0 ? changed[^1].Stamp : afterStamp);
    }

    public Task<IReadOnlyList<SavedReply>> ListRepliesAsync(
        string workspace,
        string agentId,
        CancellationToken cancellationToken = default
    ) => ListAsync(PostgresSchema.SelectReplies, LedgerRows.Reply, cancellationToken, workspace, agentId);
}
