using Prometheus;
using Routing.Contracts;
using Routing.Grains;
using Routing.Grains.Conversations;

namespace Routing.Silo.Observability;

/// <summary>
/// The domain metrics at <c>/metrics</c>, from the routing events of the grains this silo hosts: labelled by
/// workspace, queue and channel — never by conversation, customer or agent. Counters and histograms count what
/// happened here; a queue's gauges are set only by the silo hosting that queue (and dropped when it leaves), so
/// summing any metric across the silos of a cluster gives the true total.
/// </summary>
public sealed class RoutingMetrics : IRoutingEventSink
{
    /// <summary>10 ms to an hour: an offer in milliseconds, a wait or a conversation in minutes.</summary>
    public static readonly double[] DurationBuckets =
    [
        0.01,
        0.025,
        0.05,
        0.1,
        0.25,
        0.5,
        1,
        2.5,
        5,
        10,
        30,
        60,
        120,
        300,
        600,
        900,
        1800,
        3600,
    ];

    private static readonly string[] ConversationLabels = ["workspace", "queue", "channel"];
    private static readonly string[] QueueLabels = ["workspace", "queue"];

    private readonly Counter _created,
        _offered,
        _connected,
        _completed,
        _abandoned,
        _transferred,
        _declined,
        _timedOut,
        _selfServed,
        _deflected,
        _escalated;
    private readonly Histogram _toOffer,
        _selfService,
        _toConnect,
        _handle,
        _wrapUp;
    private readonly Gauge _waiting,
        _longestWait,
        _serviceLevel,
        _serviceLevelTarget,
        _agents;

    private readonly string[] _channels;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), bool> _seen = new();

    public RoutingMetrics(CollectorRegistry registry, IEnumerable<string> channels)
    {
        _channels = channels.ToArray();
        var metrics = Metrics.WithCustomRegistry(registry);
        Counter C(string name, string help) => metrics.CreateCounter(name, help, ConversationLabels);
        Histogram H(string name, string help) =>
            metrics.CreateHistogram(name, help, new HistogramConfiguration { LabelNames = ConversationLabels, Buckets = DurationBuckets });
        Gauge G(string name, string help, params string[] labels) =>
            metrics.CreateGauge(name, help, labels.Length == 0 ? QueueLabels : labels);

        _created = C("routing_conversations_created_total", "Conversations created.");
        _offered = C("routing_conversations_offered_total", "Offers made to agents.");
        _connected = C("routing_conversations_connected_total", "Conversations connected to an agent.");
        _completed = C("routing_conversations_completed_total", "Conversations completed (after wrap-up).");
        _abandoned = C("routing_conversations_abandoned_total", "Conversations the customer left before they were connected.");
        _transferred = C("routing_conversations_transferred_total", "Transfers to a queue or to an agent.");
        _declined = C("routing_offers_declined_total", "Offers an agent declined.");
        _timedOut = C("routing_offers_timed_out_total", "Offers that went unanswered until their timeout.");
        _selfServed = C("routing_self_service_started_total", "Chats that entered a queue's self-service step.");
        _deflected = C("routing_self_service_deflected_total", "Chats resolved by self-service: the customer took an answer.");
        _escalated = metrics.CreateCounter(
            "routing_self_service_escalated_total",
            "Chats the self-service step passed to a person: asked-for-agent, or no-answer (the knowledge base had none).",
            [.. ConversationLabels, "reason"]
        );
        _selfService = H("routing_self_service_seconds", "Time in the self-service step, to its resolution or escalation.");
        _toOffer = H("routing_enqueue_to_offer_seconds", "From creation to each offer.");
        _toConnect = H("routing_wait_to_connect_seconds", "From creation to connection: the customer's wait.");
        _handle = H("routing_handle_seconds", "From connection to the end of the talk (wrap-up not included).");
        _wrapUp = H("routing_wrap_up_seconds", "Wrap-up after the talk.");
        _waiting = G("routing_queue_waiting", "Conversations waiting in the queue's line now.");
        _longestWait = G("routing_queue_longest_wait_seconds", "How long the longest-waiting conversation has waited.");
        _serviceLevel = G(
            "routing_queue_service_level_ratio",
            "Share of conversations answered within the queue's target over the last 15 minutes (0-1)."
        );
        _serviceLevelTarget = G("routing_queue_service_level_target_ratio", "The share the queue's service-level goal asks for (0-1).");
        _agents = G(
            "routing_queue_agents",
            "Agents serving the queue, by status (available, busy, away, offline).",
            "workspace",
            "queue",
            "status"
        );
    }

    public void Publish(RoutingEvent routingEvent)
    {
        switch (routingEvent)
        {
            case ConversationStateChanged e:
                Count(e);
                break;
            case QueueFiguresChanged { Stats: { } s } e:
                if (_seen.TryAdd((e.Workspace, e.QueueId), true))
                {
                    Zero(e.Workspace, e.QueueId);
                }
                _waiting.WithLabels(e.Workspace, e.QueueId).Set(s.Waiting);
                _longestWait.WithLabels(e.Workspace, e.QueueId).Set(s.LongestWaitSeconds);
                if (s.ServiceLevelPercent is { } level)
                {
                    _serviceLevel.WithLabels(e.Workspace, e.QueueId).Set(level / 100);
                }
                else
                {
                    _serviceLevel.RemoveLabelled(e.Workspace, e.QueueId); // nothing answered in the window: no level, not an old one
                }
                _serviceLevelTarget.WithLabels(e.Workspace, e.QueueId).Set(e.TargetPercent / 100);
                _agents.WithLabels(e.Workspace, e.QueueId, "available").Set(s.AgentsAvailable);
                _agents.WithLabels(e.Workspace, e.QueueId, "busy").Set(s.AgentsBusy);
                _agents.WithLabels(e.Workspace, e.QueueId, "away").Set(s.AgentsAway);
                _agents.WithLabels(e.Workspace, e.QueueId, "offline").Set(s.AgentsOffline);
                break;
            case QueueFiguresChanged e:
                _seen.TryRemove((e.Workspace, e.QueueId), out _);
                _waiting.RemoveLabelled(e.Workspace, e.QueueId);
                _longestWait.RemoveLabelled(e.Workspace, e.QueueId);
                _serviceLevel.RemoveLabelled(e.Workspace, e.QueueId);
                _serviceLevelTarget.RemoveLabelled(e.Workspace, e.QueueId);
                foreach (var status in new[] { "available", "busy", "away", "offline" })
                {
                    _agents.RemoveLabelled(e.Workspace, e.QueueId, status);
                }
                break;
        }
    }

    /// <summary>A queue seen here for the first time has every counter and histogram at 0 for each channel, so a rate is 0, not "no
    /// data".</summary>
    private void Zero(string workspace, string queueId)
    {
        foreach (var channel in _channels)
        {
            foreach (var counter in new[] { _created, _offered, _connected, _completed, _abandoned, _transferred, _declined, _timedOut })
            {
                counter.WithLabels(workspace, queueId, channel);
            }
            foreach (var histogram in new[] { _toOffer, _toConnect, _handle, _wrapUp })
            {
                histogram.WithLabels(workspace, queueId, channel);
            }
        }
    }

    private void Count(ConversationStateChanged e)
    {
        var labels = new[] { e.Workspace, e.QueueId, e.Channel };
        switch (e.State)
        {
            case ConversationState.Created:
                _created.WithLabels(labels).Inc();
                break;
            case ConversationState.Offered:
                _offered.WithLabels(labels).Inc();
                if (e.Reason == "transferred")
                {
                    _transferred.WithLabels(labels).Inc(); // to an agent: not a wait ending in an offer
                }
                else
                {
                    Observe(_toOffer, labels, e.Seconds);
                }
                break;
            case ConversationState.Connected:
                _connected.WithLabels(labels).Inc();
                Observe(_toConnect, labels, e.Seconds);
                break;
            case ConversationState.WrapUp:
                Observe(_handle, labels, e.Seconds);
                break;
            case ConversationState.Completed:
                _completed.WithLabels(labels).Inc();
                Observe(_wrapUp, labels, e.Seconds);
                break;
            case ConversationState.Abandoned when SelfServiceStep.IsLeaving(e.Reason):
                break; // left the self-service step: no queue's abandon
            case ConversationState.Abandoned:
                _abandoned.WithLabels(labels).Inc();
                break;
            case ConversationState.SelfService:
                _selfServed.WithLabels(labels).Inc();
                break;
            case ConversationState.Resolved:
                _deflected.WithLabels(labels).Inc();
                Observe(_selfService, labels, e.Seconds);
                break;
            case ConversationState.Queued when SelfServiceStep.IsEscalation(e.Reason):
                _escalated.WithLabels([.. labels, e.Reason]).Inc();
                Observe(_selfService, labels, e.Seconds);
                break;
            case ConversationState.Queued when e.Reason == "transferred":
                _transferred.WithLabels(labels).Inc();
                break;
            case ConversationState.Queued when e.Reason == "declined":
                _declined.WithLabels(labels).Inc();
                break;
            case ConversationState.Queued when e.Reason == "offer-timed-out":
                _timedOut.WithLabels(labels).Inc();
                break;
        }
    }

    private static void Observe(Histogram histogram, string[] labels, double? seconds)
    {
        if (seconds is { } s)
        {
            histogram.WithLabels(labels).Observe(s);
        }
    }
}
