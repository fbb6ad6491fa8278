namespace Routing.Contracts;

/// <summary>
/// Something that happened in routing, stamped with when and in which workspace. Grains publish these as they
/// happen; the realtime hubs, metrics and tests consume them.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.RoutingEvent")]
public abstract record RoutingEvent(DateTimeOffset At, string Workspace);

/// <summary>A conversation entered a state of its lifecycle (one entry of its timeline).</summary>
[GenerateSerializer, Immutable, Alias("routing.ConversationStateChanged")]
public sealed record ConversationStateChanged(
    DateTimeOffset At,
    string Workspace,
    string ConversationId,
    ConversationState State,
    string? AgentId,
    string QueueId,
    string? Reason) : RoutingEvent(At, Workspace);

/// <summary>An agent's status changed.</summary>
[GenerateSerializer, Immutable, Alias("routing.AgentStatusChanged")]
public sealed record AgentStatusChanged(
    DateTimeOffset At,
    string Workspace,
    string AgentId,
    AgentStatus Status,
    string? Reason) : RoutingEvent(At, Workspace);

/// <summary>The slots an agent holds (offers, connected, wrap-up) changed; <see cref="InUse"/> counts them per channel.</summary>
[GenerateSerializer, Immutable, Alias("routing.AgentLoadChanged")]
public sealed record AgentLoadChanged(
    DateTimeOffset At,
    string Workspace,
    string AgentId,
    IReadOnlyDictionary<string, int> InUse,
    IReadOnlyDictionary<string, int> Capacity,
    int? MaxTotal) : RoutingEvent(At, Workspace);
