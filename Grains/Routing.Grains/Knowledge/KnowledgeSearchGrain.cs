using Orleans.Concurrency;
using Routing.Contracts.Knowledge;
using Routing.Knowledge;
using Routing.Ledger;

namespace Routing.Grains.Knowledge;

/// <summary>
/// The search of a workspace's knowledge base on this silo: a stateless worker, activated where it is called, over the
/// silo's <see cref="KnowledgeSearch"/> (one index per workspace, shared by every activation, safe for concurrent use).
/// </summary>
[StatelessWorker]
public sealed class KnowledgeSearchGrain(KnowledgeSearch search) : Grain, IKnowledgeSearchGrain
{
    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query) => search.SearchAsync(this.GetPrimaryKeyString(), query);

    public Task RefreshAsync() => search.RefreshAsync(this.GetPrimaryKeyString());
}

/// <summary>The ledger as the source of a silo's knowledge indexes: the article versions written since a stamp.</summary>
public sealed class LedgerKnowledgeSource(ILedger ledger) : IKnowledgeSource
{
    public async Task<(IReadOnlyList<KnowledgeArticle> Articles, long Stamp)> ChangesSinceAsync(
        string workspace,
        long stamp,
        CancellationToken cancellationToken = default
    )
    {
        var changes = await ledger.ListArticlesChangedSinceAsync(workspace, stamp, cancellationToken);
        return (changes.Articles, changes.Stamp);
    }
}
