using Microsoft.Extensions.Logging.Abstractions;
using Routing.Ledger;

namespace Routing.Tests.Ledger;

/// <summary>
/// A batch whose commit's answer was lost (the database crashed after the COMMIT went out) keeps its callers waiting
/// until the database says how it ended — while later batches go on — so a caller told "failed" never finds its change
/// in the ledger, and one that tries again never stores it twice (docs/reliability.md, "The fault table", R4).
/// </summary>
public sealed class CommitOutcomeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABatchWhoseCommitAnswerWasLostIsAnsweredAsTheDatabaseSaysItEnded(bool committed)
    {
        var writer = new LosingWriter();
        await using var writes = new GroupCommit(writer, 512, NullLogger.Instance);

        var lost = writes.Enqueue(new QueueWrite("acme", LedgerSamples.Queue("first")), CancellationToken.None);
        await writer.FirstCommitSent.Task.WaitAsync(Wait);
        var next = writes.Enqueue(new QueueWrite("acme", LedgerSamples.Queue("second")), CancellationToken.None);

        await next.WaitAsync(Wait); // the loop went on without waiting for the unknown outcome
        Assert.False(lost.IsCompleted);
        writer.Asked.SetResult(committed);
        if (committed)
        {
            await lost.WaitAsync(Wait);
        }
        else
        {
            var failed = await Assert.ThrowsAsync<IOException>(() => lost.WaitAsync(Wait));
            Assert.Equal("connection lost", failed.Message);
        }
    }

    /// <summary>Loses the answer to its first commit; the database can tell how that one ended once <see cref="Asked"/> is set.</summary>
    private sealed class LosingWriter : ILedgerWriter
    {
        private int _commits;

        public TaskCompletionSource FirstCommitSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Commit(IReadOnlyList<PendingWrite> batch)
        {
            if (Interlocked.Increment(ref _commits) == 1)
            {
                FirstCommitSent.SetResult();
                throw new CommitOutcomeUnknownException(new IOException("connection lost"), ct => Asked.Task.WaitAsync(ct));
            }
        }

        public void UpsertQueue(QueueWrite write) { }

        public void UpsertAgent(AgentWrite write) { }

        public void SaveConversation(ConversationWrite write) { }

        public void UpsertCredential(CredentialWrite write) { }

        public void SaveArticle(ArticleWrite write) { }

        public void SaveReply(ReplyWrite write) { }

        public void DeleteReply(ReplyDeletion write) { }

        public void Dispose() { }
    }
}
