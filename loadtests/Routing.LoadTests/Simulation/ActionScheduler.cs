using System.Diagnostics;

namespace Routing.LoadTests.Simulation;

/// <summary>
/// Runs actions at their due time — agents answering after their delay, finishing after their handle time,
/// customers giving up — from one loop and one heap, instead of a timer per action. Actions are started,
/// not awaited, so a slow call never holds up the others.
/// </summary>
public sealed class ActionScheduler : IAsyncDisposable
{
    private readonly PriorityQueue<Func<Task>, long> _due = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Action<Exception> _onError;

    public ActionScheduler(Action<Exception> onError)
    {
        _onError = onError;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Runs <paramref name="action"/> <paramref name="after"/> from now.</summary>
    public void Schedule(TimeSpan after, Func<Task> action)
    {
        var at = Stopwatch.GetTimestamp() + (long)(after.TotalSeconds * Stopwatch.Frequency);
        lock (_due)
        {
            _due.Enqueue(action, at);
        }
        _wake.Release();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            long wait;
            while (true)
            {
                Func<Task>? action = null;
                lock (_due)
                {
                    var now = Stopwatch.GetTimestamp();
                    if (_due.TryPeek(out _, out var at) && at <= now)
                    {
                        action = _due.Dequeue();
                    }
                    else
                    {
                        wait = _due.TryPeek(out _, out at) ? at - now : long.MaxValue;
                        break;
                    }
                }
                _ = Run(action);
            }
            var delay =
                wait == long.MaxValue
                    ? Timeout.InfiniteTimeSpan
                    : TimeSpan.FromSeconds(Math.Max(0.0005, (double)wait / Stopwatch.Frequency));
            await _wake.WaitAsync(delay, token);
        }
    }

    private async Task Run(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e)
        {
            _onError(e);
        }
    }
}
