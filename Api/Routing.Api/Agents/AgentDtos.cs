using Routing.Contracts;

namespace Routing.Api.Agents;

/// <summary>The body of <c>PUT /api/agents/{agentId}</c>. Capacity given for some channels keeps the defaults for the others.</summary>
public sealed record AgentRequest(
    string? Name,
    Dictionary<string, int>? Skills,
    Dictionary<string, int>? Capacity,
    int? MaxTotal,
    List<QueueRankDto>? Queues
);

public sealed record QueueRankDto(string? QueueId, int? Rank);

/// <summary>The body of <c>POST /api/agents/{agentId}/status</c>.</summary>
public sealed record StatusRequest(string? Status, string? Reason);

public sealed record AgentResponse(
    string Id,
    string Name,
    IReadOnlyDictionary<string, int> Skills,
    IReadOnlyDictionary<string, int> Capacity,
    int? MaxTotal,
    IReadOnlyList<QueueRankDto> Queues,
    AgentStatus Status,
    string? Reason,
    DateTimeOffset StatusSince,
    DateTimeOffset IdleSince,
    int MissedOffersInRow,
    IReadOnlyList<AgentAssignment> Assignments,
    IReadOnlyList<AgentOffer> Offers
)
{
    public static AgentResponse From(AgentView a) =>
        new(
            a.AgentId,
            a.Definition.Name,
            a.Definition.Skills,
            a.Definition.Capacity,
            a.Definition.MaxTotal,
            a.Definition.Queues.Select(q => new QueueRankDto(q.QueueId, q.Rank)).ToList(),
            a.Status,
            a.Reason,
            a.StatusSince,
            a.IdleSince,
            a.MissedOffersInRow,
            a.Assignments,
            a.Offers
        );
}
