namespace Routing.Contracts;

/// <summary>
/// An agent's availability as queues mirror it for matching. <see cref="Version"/> grows with every change so
/// a queue can ignore an update that arrives after a newer one.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.AgentAvailability")]
public sealed record AgentAvailability(
    string AgentId,
    long Version,
    AgentStatus Status,
    IReadOnlyDictionary<string, int> Skills,
    IReadOnlyDictionary<string, int> Capacity,
    int? MaxTotal,
    IReadOnlyDictionary<string, int> QueueRanks,
    IReadOnlyDictionary<string, int> InUse,
    DateTimeOffset IdleSince
);
