namespace Routing.Contracts.Realtime;

/// <summary>
/// The Orleans streams for fan-out where each item supersedes the last (docs/realtime.md, "How a push crosses silos"): every queue's
/// statistics once a second, every agent status change and agent load change, one stream per workspace in each namespace.
/// </summary>
public static class RealtimeStreams
{
    /// <summary>The memory stream provider's name.</summary>
    public const string Provider = "realtime";

    /// <summary>Items are <see cref="QueueStats"/>.</summary>
    public const string QueueStatsNamespace = "queue-stats";

    /// <summary>Items are <see cref="AgentStatusChanged"/>.</summary>
    public const string PresenceNamespace = "agent-presence";

    /// <summary>
    /// Items are <see cref="AgentLoads"/>: once a second, from each queue, the agents serving it whose slots in use
    /// changed since its last tick — one item per queue and second, however busy the agents.
    /// </summary>
    public const string LoadNamespace = "agent-load";
}

/// <summary>Agents whose slots in use changed (offers and conversations, per channel), as one queue saw them this second.</summary>
[GenerateSerializer, Immutable, Alias("routing.AgentLoads")]
public sealed record AgentLoads(IReadOnlyList<AgentLoadChanged> Changes);
