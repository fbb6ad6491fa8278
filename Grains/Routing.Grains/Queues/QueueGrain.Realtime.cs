using Routing.Contracts;

namespace Routing.Grains.Queues;

/// <summary>
/// The queue as the realtime side sees it: the conversations customers watch, the supervisors' view of the line and its
/// last hour, and the once-a-second tick that pushes them (<see cref="QueueFeed"/>).
/// </summary>
public sealed partial class QueueGrain
{
    private IGrainTimer? _ticker;
    private IGrainTimer? _lineChecker;

    public Task WatchAsync(string conversationId, bool watching)
    {
        _feed.Watchers.Watch(conversationId, watching);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<QueueTick>> GetHistoryAsync(int seconds) => Task.FromResult(_feed.History.ToList(Math.Clamp(seconds, 1, 60)));

    public Task<IReadOnlyList<WaitingView>> GetWaitingAsync(int limit)
    {
        _ = _matching.Definition;
        return Task.FromResult(QueueFigures.Waiting(_matching.Line, limit, _clock.UtcNow));
    }

    /// <summary>Starts the once-a-second tick, which keeps a defined queue active, and the check of its line.</summary>
    private void StartTicker()
    {
        _ticker ??= this.RegisterGrainTimer(
            static (self, _) => self.PublishAsync(),
            this,
            new GrainTimerCreationOptions
            {
                DueTime = TimeSpan.FromSeconds(1),
                Period = TimeSpan.FromSeconds(1),
                KeepAlive = true,
            }
        );
        _lineChecker ??= this.RegisterGrainTimer(
            static (self, cancellation) => self.CheckLineAsync(cancellation),
            this,
            new GrainTimerCreationOptions { DueTime = _lineCheckEvery, Period = _lineCheckEvery }
        );
    }

    /// <summary>The watched conversations' places first, then the statistics, taken after them.</summary>
    private async Task PublishAsync()
    {
        if (_info is null)
        {
            return;
        }
        _offers.CheckOpening();
        _feed.PushPositions(_matching.Line, _matching.Agents.Ready.Count > 0, _figures, _clock.UtcNow);
        await _feed.PublishAsync(Stats, _matching.Definition.ServiceLevel.Percent, _matching.Agents);
    }
}
