using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Routing.Ledger;

/// <summary>
/// The ledger's write path: every write goes into one queue, and a single loop takes all that is pending (up to the
/// batch size) and commits it in one transaction on the one write connection, so many callers share each fsync.
/// A caller's task completes when its batch has committed, or fails with the batch's error; writes apply in the
/// order they entered the queue.
/// </summary>
internal sealed class GroupCommit : IAsyncDisposable
{
    private readonly ILedgerWriter _writer;
    private readonly int _maxBatchSize;
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _writes;
    private readonly Task _loop;
    private long _committedBatches;

    public GroupCommit(ILedgerWriter writer, int maxBatchSize, ILogger logger)
    {
        LedgerMeter.Touch();
        _writer = writer;
        _maxBatchSize = maxBatchSize;
        _logger = logger;
        // Bounded, so a flood of writes waits for room instead of growing memory without limit (DESIGN §8).
        _writes = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(Math.Max(1024, maxBatchSize * 8))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        // The loop blocks on SQLite (and its fsync) by design, so it gets a thread of its own rather than one of the
        // thread pool's, which the grains and the API need.
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    public Task Enqueue(PendingWrite write, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }
        write.Cancellation = cancellationToken;
        // Synchronous when there is room, so writes enter the queue in the order their callers submitted them; when
        // it is full, waiting writers are let in first come, first served.
        return _writes.Writer.TryWrite(write) ? write.Completion.Task : WaitForRoomAsync(write, cancellationToken);
    }

    /// <summary>Stops taking writes, commits every write already queued, then closes the write connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _writer.Dispose();
    }

    private async Task WaitForRoomAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        try
        {
            await _writes.Writer.WriteAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException("ledger", "The ledger was disposed before the write could be queued.");
        }
        await write.Completion.Task.ConfigureAwait(false);
    }

    private void Run()
    {
        var reader = _writes.Reader;
        var batch = new List<PendingWrite>(_maxBatchSize);
        while (reader.TryPeek(out _) || reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var write))
            {
                if (write.Cancellation.IsCancellationRequested)
                {
                    write.Completion.TrySetCanceled(write.Cancellation);
                }
                else
                {
                    batch.Add(write);
                }
            }
            if (batch.Count > 0)
            {
                Commit(batch);
                batch.Clear();
            }
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        try
        {
            _writer.Commit(batch);
        }
        catch (Exception exception)
        {
            // The loop's boundary: the transaction was rolled back, so none of the batch is stored and each of its
            // callers gets the error; the loop carries on with the next batch.
            LedgerLog.BatchFailed(_logger, batch.Count, exception);
            LedgerMeter.WritesFailed(batch.Count);
            foreach (var write in batch)
            {
                write.Completion.TrySetException(exception);
            }
            return;
        }
        Interlocked.Increment(ref _committedBatches);
        LedgerMeter.Committed(batch.Count);
        foreach (var write in batch)
        {
            write.Completion.TrySetResult();
        }
    }
}
