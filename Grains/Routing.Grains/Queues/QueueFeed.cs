using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Grains.Queues;

/// <summary>
/// What a queue tells the realtime side once a second (docs/realtime.md, "How a push crosses silos"): to each conversation a
/// customer is watching, its new place if it changed (<see cref="PositionWatchers"/>); to the workspace's streams, the
/// queue's statistics and the agents whose load changed since the last tick; to the supervisors' charts, its last hour
/// (<see cref="QueueHistory"/>). All of it transient: what was last sent starts afresh with the activation.
/// </summary>
internal sealed class QueueFeed(
    IGrainFactory grains,
    Func<IStreamProvider> streams,
    string workspace,
    string queueId,
    RoutingEvents events,
    ILogger logger
)
{
    private readonly Dictionary<string, long> _loadsSent = new(StringComparer.Ordinal); // agent → report version last published

    public PositionWatchers Watchers { get; } = new();

    public QueueHistory History { get; } = new();

    /// <summary>Tells every watched conversation waiting in <paramref name="line"/> its place, if it changed.</summary>
    public void PushPositions(QueueLine line, bool agentReady, QueueFigures figures, DateTimeOffset now) =>
        Watchers.Push(
            line,
            agentReady,
            figures,
            now,
            (conversationId, position) => _ = grains.ConversationCallbacks(workspace, conversationId).PositionChangedAsync(position)
        );

    /// <summary>
    /// Publishes the queue's statistics, taken now from <paramref name="stats"/>, and the loads of the <paramref name="agents"/>
    /// whose report changed since the last tick. A failure is logged; the next tick publishes afresh.
    /// </summary>
    public async Task PublishAsync(Func<QueueStats> stats, double targetPercent, AgentMirror agents)
    {
        try
        {
            var figures = stats();
            History.Add(figures);
            events.Publish(new QueueFiguresChanged(figures.At, workspace, queueId, figures, targetPercent));
            var provider = streams();
            await provider.GetStream<QueueStats>(StreamId.Create(RealtimeStreams.QueueStatsNamespace, workspace)).OnNextAsync(figures);
            if (ChangedLoads(agents.Reports, figures.At) is { } loads)
            {
                await provider.GetStream<AgentLoads>(StreamId.Create(RealtimeStreams.LoadNamespace, workspace)).OnNextAsync(loads);
            }
        }
        catch (Exception e)
        {
            Log.StreamPublishFailed(logger, e, RealtimeStreams.QueueStatsNamespace);
        }
    }

    /// <summary>The agents serving this queue whose report changed since the last tick, or null.</summary>
    private AgentLoads? ChangedLoads(IEnumerable<AgentAvailability> reports, DateTimeOffset at)
    {
        List<AgentLoadChanged>? changed = null;
        foreach (var report in reports)
        {
            if (_loadsSent.TryGetValue(report.AgentId, out var sent) && sent == report.Version)
            {
                continue;
            }
            _loadsSent[report.AgentId] = report.Version;
            (changed ??= []).Add(new AgentLoadChanged(at, workspace, report.AgentId, report.InUse, report.Capacity, report.MaxTotal));
        }
        return changed is null ? null : new AgentLoads(changed);
    }
}
