using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Contracts.Knowledge;

namespace Routing.Ledger;

/// <summary>
/// What both ledgers share around their write connection: writes queued to one <see cref="GroupCommit"/> that
/// commits all that is pending in one transaction; a write's task completes once it is durable. A ledger starts
/// its writer in <see cref="ILedger.InitializeAsync"/> (<see cref="StartWriter"/>) and closes its own storage after
/// the last queued write has committed (<see cref="CloseStorageAsync"/>).
/// </summary>
public abstract class GroupCommitLedger : IAsyncDisposable, IDisposable
{
    private readonly Lock _gate = new();
    private volatile GroupCommit? _writes;
    private volatile bool _disposed;
    private Task? _disposal;

    private protected GroupCommitLedger(int maxBatchSize, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        MaxBatchSize = maxBatchSize;
        Logger = logger;
    }

    private protected int MaxBatchSize { get; }

    private protected ILogger Logger { get; }

    /// <summary>How many batches the writer has committed: fewer than the writes when group commit is at work.</summary>
    internal long CommittedBatches => _writes?.CommittedBatches ?? 0;

    public Task SaveQueueAsync(string workspace, QueueInfo queue, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new QueueWrite(workspace, queue), cancellationToken);

    public Task SaveAgentAsync(string workspace, AgentRecord agent, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new AgentWrite(workspace, agent), cancellationToken);

    public Task SaveConversationAsync(string workspace, ConversationChange change, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new ConversationWrite(workspace, change), cancellationToken);

    public Task SaveCredentialAsync(string workspace, CredentialRecord credential, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new CredentialWrite(workspace, credential), cancellationToken);

    public Task SaveArticleAsync(string workspace, KnowledgeArticle article, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new ArticleWrite(workspace, article), cancellationToken);

    public Task SaveReplyAsync(string workspace, string agentId, SavedReply reply, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new ReplyWrite(workspace, agentId, reply), cancellationToken);

    public Task DeleteReplyAsync(string workspace, string agentId, string replyId, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new ReplyDeletion(workspace, agentId, replyId), cancellationToken);

    /// <summary>Stops taking writes, commits every write already queued, then closes the storage. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            _disposal ??= CloseAsync(_writes);
            return new ValueTask(_disposal);
        }
    }

    /// <summary>As <see cref="DisposeAsync"/>, blocking until the queued writes are committed.</summary>
    public void Dispose()
    {
        DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the writer once (later calls do nothing): <paramref name="open"/> opens the write connection, under the ledger's
    /// lock.</summary>
    private protected void StartWriter(Func<ILedgerWriter> open, string where)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writes is null)
            {
                _writes = new GroupCommit(open(), MaxBatchSize, Logger);
                LedgerLog.Opened(Logger, where);
            }
        }
    }

    private protected bool Started => _writes is not null;

    private protected void ThrowIfUnavailable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writes is null)
        {
            throw new InvalidOperationException("Call InitializeAsync before using the ledger.");
        }
    }

    /// <summary>Closes what the ledger holds besides the writer (read pools, data sources), after the writer has finished.</summary>
    private protected abstract ValueTask CloseStorageAsync();

    private GroupCommit Writes
    {
        get
        {
            ThrowIfUnavailable();
            return _writes!;
        }
    }

    private async Task CloseAsync(GroupCommit? writes)
    {
        if (writes is not null)
        {
            await writes.DisposeAsync().ConfigureAwait(false);
        }
        await CloseStorageAsync().ConfigureAwait(false);
    }
}
