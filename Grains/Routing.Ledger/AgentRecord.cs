using Routing.Contracts;

namespace Routing.Ledger;

/// <summary>What the ledger keeps of an agent: its definition and its presence. Assignments are derived from conversations.</summary>
public sealed record AgentRecord(
    string AgentId,
    AgentDefinition Definition,
    AgentStatus Status,
    string? Reason,
    DateTimeOffset StatusSince,
    DateTimeOffset IdleSince,
    int MissedOffersInRow,
    DateTimeOffset UpdatedAt
);
