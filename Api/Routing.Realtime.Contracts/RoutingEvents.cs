namespace Routing.Contracts;

/// <summary>
/// Something that happened in routing, stamped with when and in which workspace. Grains publish these as they
/// happen; the realtime hubs, metrics and tests consume them.
/// </summary>
public abstract record RoutingEvent(DateTimeOffset At, string Workspace);

/// <summary>
/// A conversation entered a state of its lifecycle (one entry of its timeline), on <see cref="Channel"/>.
/// <see cref="Seconds"/> is the span this step closes, for the metrics: Offered and Connected — waited since
/// creation; WrapUp — talked since connection; Completed — wrapped up since the wrap-up began; Abandoned — waited.
/// </summary>
public sealed record ConversationStateChanged(
    DateTimeOffset At,
    string Workspace,
    string ConversationId,
    ConversationState State,
    string? AgentId,
    string QueueId,
    string? Reason,
    string Channel = "",
    double? Seconds = null
) : RoutingEvent(At, Workspace);

/// <summary>
/// A queue's figures of this second, from the silo hosting it (null <see cref="Stats"/>: the queue left this silo),
/// with the share of conversations its service-level goal asks to be answered in time.
/// </summary>
public sealed record QueueFiguresChanged(DateTimeOffset At, string Workspace, string QueueId, QueueStats? Stats, double TargetPercent = 80)
    : RoutingEvent(At, Workspace);

/// <summary>An agent's status changed.</summary>
public sealed record AgentStatusChanged(DateTimeOffset At, string Workspace, string AgentId, AgentStatus Status, string? Reason)
    : RoutingEvent(At, Workspace);

/// <summary>The slots an agent holds (offers, connected, wrap-up) changed; <see cref="InUse"/> counts them per channel.</summary>
public sealed record AgentLoadChanged(
    DateTimeOffset At,
    string Workspace,
    string AgentId,
    IReadOnlyDictionary<string, int> InUse,
    IReadOnlyDictionary<string, int> Capacity,
    int? MaxTotal
) : RoutingEvent(At, Workspace);
