using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Grains.Queues;

/// <summary>
/// Once a second: the queue's statistics to the workspace's stream (supervisors), and to each conversation a
/// customer is watching, its new position and estimated wait if they changed.
/// </summary>
public sealed partial class QueueGrain
{
    // Transient: what each watched conversation was last told (null before the first tick).
    private readonly Dictionary<string, QueuePosition?> _watched = new(StringComparer.Ordinal);
    private readonly QueueHistory _history = new();
    private readonly Dictionary<string, long> _loadsSent = new(StringComparer.Ordinal); // agent → report version last published
    private IGrainTimer? _ticker;

    public Task WatchAsync(string conversationId, bool watching)
    {
        if (watching)
        {
            _watched.TryAdd(conversationId, null);
        }
        else
        {
            _watched.Remove(conversationId);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<QueueTick>> GetHistoryAsync(int seconds) => Task.FromResult(_history.ToList(Math.Clamp(seconds, 1, 60)));

    public Task<IReadOnlyList<WaitingView>> GetWaitingAsync(int limit)
    {
        _ = Definition;
        var now = _clock.UtcNow;
        var offering = _line.Entries.Where(e => e.Offering);
        var waiting = _line.InOrder.Select(w => _line.TryGet(w.Id, out var entry) ? entry : null).OfType<QueueEntry>();
        return Task.FromResult<IReadOnlyList<WaitingView>>(
            offering
                .Concat(waiting)
                .Take(limit)
                .Select(e =>
                {
                    var plan = e.Waiting.Skills;
                    var step =
                        plan.Steps.Count == 0 ? 0 : Math.Max(0, plan.Steps.ToList().IndexOf(plan.StepAt(now - e.Ticket.WaitingSince)));
                    return new WaitingView(
                        e.Id,
                        e.Ticket.Channel,
                        e.Ticket.CustomerName,
                        e.Ticket.Tier,
                        e.Ticket.Priority,
                        e.Ticket.WaitingSince,
                        e.Ticket.Skills,
                        step,
                        e.Ticket.ExcludedAgents,
                        e.Unservable,
                        e.Offering
                    );
                })
                .ToList()
        );
    }

    /// <summary>Starts the once-a-second tick; it keeps a defined queue active.</summary>
    private void StartTicker() =>
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

    private async Task PublishAsync()
    {
        if (_info is null)
        {
            return;
        }
        PushPositions();
        try
        {
            var stats = await GetStatsAsync();
            _history.Add(stats);
            _events.Publish(new QueueFiguresChanged(stats.At, _workspace, _queueId, stats, Definition.ServiceLevel.Percent));
            var streams = this.GetStreamProvider(RealtimeStreams.Provider);
            await streams.GetStream<QueueStats>(StreamId.Create(RealtimeStreams.QueueStatsNamespace, _workspace)).OnNextAsync(stats);
            if (ChangedLoads(stats.At) is { } loads)
            {
                await streams.GetStream<AgentLoads>(StreamId.Create(RealtimeStreams.LoadNamespace, _workspace)).OnNextAsync(loads);
            }
        }
        catch (Exception e)
        {
            Log.StreamPublishFailed(_logger, e, RealtimeStreams.QueueStatsNamespace);
        }
    }

    /// <summary>The agents serving this queue whose report changed since the last tick, or null.</summary>
    private AgentLoads? ChangedLoads(DateTimeOffset at)
    {
        List<AgentLoadChanged>? changed = null;
        foreach (var report in _agents.Reports)
        {
            if (_loadsSent.TryGetValue(report.AgentId, out var sent) && sent == report.Version)
            {
                continue;
            }
            _loadsSent[report.AgentId] = report.Version;
            (changed ??= []).Add(new AgentLoadChanged(at, _workspace, report.AgentId, report.InUse, report.Capacity, report.MaxTotal));
        }
        return changed is null ? null : new AgentLoads(changed);
    }

    /// <summary>One pass over the line gives every watched conversation its place; only changes are sent.</summary>
    private void PushPositions()
    {
        if (_watched.Count == 0)
        {
            return;
        }
        var now = _clock.UtcNow;
        var ready = _agents.Ready.Count > 0;
        var ahead = 0;
        foreach (var waiting in _line.InOrder)
        {
            if (_watched.TryGetValue(waiting.Id, out var told))
            {
                var estimate = _estimator.Estimate(ahead, ready && ahead == 0, now);
                var position = new QueuePosition(
                    ahead,
                    estimate is { } e ? Math.Round(e.TotalSeconds) : null,
                    _line.TryGet(waiting.Id, out var entry) ? entry.Unservable : null
                );
                if (position != told)
                {
                    _watched[waiting.Id] = position;
                    _ = GrainFactory.ConversationCallbacks(_workspace, waiting.Id).PositionChangedAsync(position);
                }
            }
            ahead++;
        }
    }
}
