using Routing.Contracts.Knowledge;

namespace Routing.Ledger;

/// <summary>
/// What changed in a workspace's knowledge base since a change stamp (<see cref="ILedger.ListArticlesChangedSinceAsync"/>):
/// the current rows saved since, deletions included so a search index can drop them, and the stamp to ask from next
/// time — the highest among them, or the one asked from when nothing changed.
/// </summary>
public sealed record KnowledgeChanges(IReadOnlyList<KnowledgeArticle> Articles, long Stamp);
