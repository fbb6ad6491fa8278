using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Ledger;

namespace Routing.Grains.Knowledge;

/// <summary>
/// A workspace's knowledge base as the one writer of its articles (docs/self-service.md): being non-reentrant, it
/// makes one change at a time, each version numbered after the last the ledger holds (a deleted one included, so a
/// recreated article carries on its history), and writes it before answering. It keeps nothing in memory: edits are
/// rare, and the ledger's history is the truth.
/// </summary>
public sealed class KnowledgeBaseGrain(ILedger ledger, RoutingClock clock) : Grain, IKnowledgeBaseGrain
{
    private string Workspace => this.GetPrimaryKeyString();

    public async Task<KnowledgeSaved> SaveAsync(KnowledgeArticleDraft draft, string? by)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var history = await ledger.ListArticleHistoryAsync(Workspace, draft.ArticleId);
        var last = history.Count == 0 ? null : history[^1];
        var current = last is { Deleted: false } ? last : null;
        if (draft.ExpectedVersion is { } expected && expected != (current?.Version ?? 0))
        {
            throw RoutingException.Conflict(
                "version-conflict",
                current is null
                    ? $"Article '{draft.ArticleId}' does not exist, so it is not at version {expected}; reload it and edit again."
                    : $"Article '{draft.ArticleId}' is at version {current.Version}, not {expected}: someone changed it; reload it "
                        + "and edit again.",
                "version"
            );
        }
        if (current is not null && draft.SameAs(current))
        {
            return new KnowledgeSaved(current, Changed: false, Created: false);
        }
        var article = Version(draft, (last?.Version ?? 0) + 1, by);
        await ledger.SaveArticleAsync(Workspace, article);
        return new KnowledgeSaved(article, Changed: true, Created: current is null);
    }

    public async Task<IReadOnlyList<KnowledgeSaved>> ImportAsync(IReadOnlyList<KnowledgeArticleDraft> drafts, string? by)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        // Every article's last version, deleted ones included, in one read; the new versions then go to the ledger
        // together, and its group commit writes them in a few transactions rather than one each.
        var last = (await ledger.ListArticlesChangedSinceAsync(Workspace, 0)).Articles.ToDictionary(
            a => a.ArticleId,
            StringComparer.Ordinal
        );
        var saved = new List<KnowledgeSaved>(drafts.Count);
        var writes = new List<Task>();
        foreach (var draft in drafts.DistinctBy(d => d.ArticleId, StringComparer.Ordinal))
        {
            var before = last.GetValueOrDefault(draft.ArticleId);
            if (before is not null && draft.SameAs(before))
            {
                saved.Add(new KnowledgeSaved(before, Changed: false, Created: false));
                continue;
            }
            var article = Version(draft, (before?.Version ?? 0) + 1, by);
            writes.Add(ledger.SaveArticleAsync(Workspace, article));
            saved.Add(new KnowledgeSaved(article, Changed: true, Created: before is null or { Deleted: true }));
        }
        await Task.WhenAll(writes);
        return saved;
    }

    public Task<IReadOnlyList<KnowledgeArticle>> ListAsync() => ledger.ListArticlesAsync(Workspace);

    public Task<KnowledgeArticle?> GetAsync(string articleId) => ledger.GetArticleAsync(Workspace, articleId);

    public Task<IReadOnlyList<KnowledgeArticle>> HistoryAsync(string articleId) => ledger.ListArticleHistoryAsync(Workspace, articleId);

    public async Task<bool> DeleteAsync(string articleId, string? by)
    {
        if (await ledger.GetArticleAsync(Workspace, articleId) is not { } current)
        {
            return false;
        }
        await ledger.SaveArticleAsync(
            Workspace,
            current with
            {
                Version = current.Version + 1,
                UpdatedAt = clock.UtcNow,
                UpdatedBy = by,
                Deleted = true,
            }
        );
        return true;
    }

    private KnowledgeArticle Version(KnowledgeArticleDraft draft, long version, string? by) =>
        new(
            draft.ArticleId,
            draft.Title,
            draft.Questions,
            draft.Answer,
            draft.Topic,
            draft.Language,
            draft.Tags,
            draft.Enabled,
            version,
            clock.UtcNow,
            by
        );
}
