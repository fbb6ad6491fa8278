using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Routing.Ledger;

/// <summary>
/// The ledger's write path: every write goes into one queue, and a single loop takes all that is pending (up to the
/// batch size) and commits it in one transaction on the one write connection, so many callers share each fsync.
/// A caller's task completes when its batch has committed, or fails with the batch's error (or with its own, when the
/// writer refused that write alone: <see cref="PendingWrite.Refused"/>); writes apply in the order they entered the
/// queue. A batch whose commit's answer was lost (<see cref="CommitOutcomeUnknownException"/>) is settled aside, once
/// the database says how it ended, while the loop goes on with the next batches.
/// </summary>
internal sealed class GroupCommit : IAsyncDisposable
{
    private readonly ILedgerWriter _writer;
    private readonly int _maxBatchSize;
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _writes;
    private readonly Task _loop;
    private readonly CancellationTokenSource _closing = new();
    private readonly List<Task> _settling = [];
    private long _committedBatches;

    /// <summary>How soon a batch whose outcome is unknown asks the database again.</summary>
    private static readonly TimeSpan SettleRetry = TimeSpan.FromMilliseconds(500);

    public GroupCommit(ILedgerWriter writer, int maxBatchSize, ILogger logger)
    {
        LedgerMeter.Touch();
        _writer = writer;
        _maxBatchSize = maxBatchSize;
        _logger = logger;
        // Bounded, so a flood of writes waits for room instead of growing memory without limit
        // (docs/performance.md, "Overload: degrade, never collapse").
        _writes = Channel.CreateBounded<PendingWrite>(
            new BoundedChannelOptions(Math.Max(1024, maxBatchSize * 8)) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }
        );
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
        await _closing.CancelAsync().ConfigureAwait(false); // a batch still unsettled fails its callers: its outcome stays unknown
        Task[] settling;
        lock (_settling)
        {
            settling = [.. _settling];
        }
        await Task.WhenAll(settling).ConfigureAwait(false);
        _writer.Dispose();
        _closing.Dispose();
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
        catch (CommitOutcomeUnknownException unknown)
        {
            LedgerLog.CommitOutcomeUnknown(_logger, batch.Count, unknown.InnerException ?? unknown);
            var settle = SettleAsync([.. batch], unknown);
            lock (_settling)
            {
                _settling.Add(settle);
                _settling.RemoveAll(t => t.IsCompleted);
            }
            return;
        }
        catch (Exception exception)
        {
            // The loop's boundary: the transaction was rolled back, so none of the batch is stored and each of its
            // callers gets the error; the loop carries on with the next batch.
            LedgerLog.BatchFailed(_logger, batch.Count, exception);
            Failed(batch, exception);
            return;
        }
        Committed(batch);
    }

    /// <summary>Asks until the database tells how a batch whose commit's answer was lost ended, then answers its callers.</summary>
    private async Task SettleAsync(List<PendingWrite> batch, CommitOutcomeUnknownException unknown)
    {
        while (true)
        {
            try
            {
                var committed = await unknown.CommittedAsync(_closing.Token).ConfigureAwait(false);
                LedgerLog.CommitOutcomeSettled(_logger, batch.Count, committed ? "committed" : "not committed");
                if (committed)
                {
                    Committed(batch);
                }
                else
                {
                    Failed(batch, unknown.InnerException ?? unknown);
                }
                return;
            }
            catch (Exception) when (!_closing.IsCancellationRequested)
            {
                // The database cannot tell yet (it is still down): ask again shortly.
            }
            catch (Exception)
            {
                Failed(batch, unknown);
                return;
            }
            try
            {
                await Task.Delay(SettleRetry, _closing.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Failed(batch, unknown);
                return;
            }
        }
    }

    private void Committed(List<PendingWrite> batch)
    {
        Interlocked.Increment(ref _committedBatches);
        var refused = 0;
        foreach (var write in batch)
        {
            if (write.Refused is { } refusal)
            {
                refused++;
                write.Completion.TrySetException(refusal);
            }
            else
            {
                write.Completion.TrySetResult();
            }
        }
        LedgerMeter.Committed(batch.Count - refused);
        LedgerMeter.WritesFailed(refused);
    }

    private static void Failed(List<PendingWrite> batch, Exception exception)
    {
        LedgerMeter.WritesFailed(batch.Count);
        foreach (var write in batch)
        {
            write.Completion.TrySetException(exception);
        }
    }
}
