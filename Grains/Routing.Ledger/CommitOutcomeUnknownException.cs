namespace Routing.Ledger;

/// <summary>
/// A batch's commit was sent but its answer never came back (the connection broke: the database crashed or the network
/// failed), so the transaction may have committed or not. A writer throws it; <see cref="GroupCommit"/> holds the
/// batch's callers until <see cref="CommittedAsync"/>, asked again until the database answers, says which. So a write
/// reported failed is never in the ledger, and a caller that tries again never stores its change twice.
/// </summary>
internal sealed class CommitOutcomeUnknownException(Exception lost, Func<CancellationToken, Task<bool>> committedAsync)
    : Exception("The commit was sent but its answer was lost.", lost)
{
    /// <summary>Whether the transaction committed after all; throws while the database cannot tell.</summary>
    public Func<CancellationToken, Task<bool>> CommittedAsync { get; } = committedAsync;
}
