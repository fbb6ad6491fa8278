using System.Collections.Concurrent;
using Routing.Contracts.Knowledge;

namespace Routing.Knowledge;

/// <summary>Where the articles come from: their versions written after a stamp, and the stamp of the last one.</summary>
public interface IKnowledgeSource
{
    Task<(IReadOnlyList<KnowledgeArticle> Articles, long Stamp)> ChangesSinceAsync(
        string workspace,
        long stamp,
        CancellationToken cancellationToken = default
    );
}

/// <summary>
/// This silo's search of every workspace's knowledge base (docs/self-service.md, "Search"): an index per workspace in
/// memory, built from the ledger on its first search here and kept current by asking the ledger, at most once per
/// <c>refreshEvery</c>, for what changed since — so an article saved on any silo is found on every silo within that
/// time, and on the silo that saved it at once (<see cref="RefreshAsync"/>). A search never waits for a refresh
/// another search has started: it answers from the index as it stands.
/// </summary>
public sealed class KnowledgeSearch(IKnowledgeSource source, TimeProvider time, TimeSpan refreshEvery) : IDisposable
{
    private readonly ConcurrentDictionary<string, Workspace> _workspaces = new(StringComparer.Ordinal);

    /// <summary>The best answers to <paramref name="query"/> in <paramref name="workspace"/>'s knowledge base.</summary>
    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(
        string workspace,
        KnowledgeQuery query,
        CancellationToken cancellationToken = default
    )
    {
        var current = _workspaces.GetOrAdd(workspace, _ => new Workspace());
        if (current.DueAt <= time.GetTimestamp())
        {
            await current.RefreshAsync(workspace, source, NextDue, wait: !current.Loaded, cancellationToken);
        }
        return current.Index.Search(query);
    }

    /// <summary>Brings the workspace's index up to the ledger now: after this silo changed an article.</summary>
    public async Task RefreshAsync(string workspace, CancellationToken cancellationToken = default)
    {
        if (_workspaces.TryGetValue(workspace, out var current))
        {
            await current.RefreshAsync(workspace, source, NextDue, wait: true, cancellationToken);
        }
    }

    /// <summary>When a refresh now should be followed by the next (a <see cref="TimeProvider"/> timestamp).</summary>
    private long NextDue() => time.GetTimestamp() + (long)(refreshEvery.TotalSeconds * time.TimestampFrequency);

    public void Dispose()
    {
        foreach (var workspace in _workspaces.Values)
        {
            workspace.Dispose();
        }
    }

    private sealed class Workspace : IDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private long _stamp;

        public KnowledgeIndex Index { get; } = new();

        public bool Loaded { get; private set; }

        /// <summary>When the next search should ask the ledger for changes (a <see cref="TimeProvider"/> timestamp).</summary>
        public long DueAt { get; private set; }

        public async Task RefreshAsync(
            string workspace,
            IKnowledgeSource source,
            Func<long> nextDue,
            bool wait,
            CancellationToken cancellationToken
        )
        {
            if (!wait && !await _gate.WaitAsync(0, cancellationToken))
            {
                return; // another search is refreshing: answer from the index as it stands
            }
            if (wait)
            {
                await _gate.WaitAsync(cancellationToken);
            }
            try
            {
                var (articles, stamp) = await source.ChangesSinceAsync(workspace, _stamp, cancellationToken);
                if (articles.Count > 0)
                {
                    Index.Apply(articles);
                }
                _stamp = Math.Max(_stamp, stamp);
                Loaded = true;
                DueAt = nextDue();
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose()
        {
            Index.Dispose();
            _gate.Dispose();
        }
    }
}
