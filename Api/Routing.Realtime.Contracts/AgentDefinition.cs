namespace Routing.Contracts;

/// <summary>
/// An agent's definition: skills with proficiency 1–5, capacity per channel with an optional total, and its
/// routing profile — the queues it serves, each with a rank (1 is served first).
/// </summary>
public sealed record AgentDefinition(
    string Name,
    IReadOnlyDictionary<string, int> Skills,
    IReadOnlyDictionary<string, int> Capacity,
    int? MaxTotal,
    IReadOnlyList<QueueMembership> Queues
)
{
    /// <summary>Without the agent's name (see <see cref="Customer"/>).</summary>
    public override string ToString() => $"AgentDefinition {{ MaxTotal = {MaxTotal}, Queues = {Queues.Count} }}";
}

/// <summary>The agent serves <see cref="QueueId"/> at <see cref="Rank"/> (1 first).</summary>
public sealed record QueueMembership(string QueueId, int Rank);

/// <summary>A conversation an agent holds: connected, or in wrap-up after completion.</summary>
public sealed record AgentAssignment(string ConversationId, string Channel, string QueueId, ConversationState State, DateTimeOffset Since);

/// <summary>An offer waiting for the agent's answer; its slot is reserved until it is answered or expires.</summary>
public sealed record AgentOffer(string ConversationId, string Channel, string QueueId, DateTimeOffset OfferedAt, DateTimeOffset ExpiresAt);

/// <summary>Everything about one agent: definition, status, what it holds and what it is being offered.</summary>
public sealed record AgentView(
    string AgentId,
    AgentDefinition Definition,
    AgentStatus Status,
    string? Reason,
    DateTimeOffset StatusSince,
    DateTimeOffset IdleSince,
    int MissedOffersInRow,
    IReadOnlyList<AgentAssignment> Assignments,
    IReadOnlyList<AgentOffer> Offers
);
