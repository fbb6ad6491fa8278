using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Queues;

/// <summary>
/// What a queue rebuilds from the ledger when it is activated (docs/reliability.md, "The ledger is the truth"): the
/// availability of the workspace's agents, each with the conversations it holds counted per channel, and the conversations
/// waiting in its line. Pure: <see cref="QueueGrain"/> reads the ledger, <see cref="QueueMatching.Load"/> applies this.
/// </summary>
internal static class QueueReload
{
    /// <summary>
    /// Every agent's availability as the ledger has it, at version 0 (any report from the agent grain is newer), its slots in
    /// use being the conversations it is connected to or wrapping up.
    /// </summary>
    public static IReadOnlyList<AgentAvailability> Agents(
        IEnumerable<WorkspaceItem<AgentRecord>> agents,
        IEnumerable<WorkspaceItem<ConversationRecord>> active
    )
    {
        var held = active
            .Select(a => a.Item)
            .Where(c => c.AgentId is not null && c.State is ConversationState.Connected or ConversationState.WrapUp)
            .GroupBy(c => c.AgentId!, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyDictionary<string, int>)g.GroupBy(c => c.Channel).ToDictionary(c => c.Key, c => c.Count()),
                StringComparer.Ordinal
            );
        return agents.Select(a => AvailabilityOf(a.Item, held.GetValueOrDefault(a.Item.AgentId))).ToList();
    }

    /// <summary>The tickets of the conversations waiting in <paramref name="queueId"/>'s line: queued, or still marked offered.</summary>
    public static IReadOnlyList<QueueTicket> Waiting(string queueId, IEnumerable<WorkspaceItem<ConversationRecord>> active) =>
        active.Select(a => a.Item).Where(c => c.QueueId == queueId && c.State.IsWaiting()).Select(c => c.Ticket()).ToList();

    /// <summary>The tickets of the conversations in <paramref name="queueId"/>'s line on record: queued, not offered.</summary>
    public static IEnumerable<QueueTicket> Queued(string queueId, IEnumerable<WorkspaceItem<ConversationRecord>> active) =>
        active.Select(a => a.Item).Where(c => c.QueueId == queueId && c.State == ConversationState.Queued).Select(c => c.Ticket());

    /// <summary>
    /// The conversations of <paramref name="queueId"/> in the self-service step on record with nothing written since
    /// <paramref name="before"/>: what the line check asks to end (each checks its own, newer, record first).
    /// </summary>
    public static IEnumerable<string> IdleInSelfService(
        string queueId,
        IEnumerable<WorkspaceItem<ConversationRecord>> active,
        DateTimeOffset before
    ) =>
        active
            .Select(a => a.Item)
            .Where(c => c.QueueId == queueId && c.State == ConversationState.SelfService && c.UpdatedAt <= before)
            .Select(c => c.ConversationId);

    private static AgentAvailability AvailabilityOf(AgentRecord agent, IReadOnlyDictionary<string, int>? inUse) =>
        new(
            agent.AgentId,
            Version: 0,
            agent.Status,
            agent.Definition.Skills,
            agent.Definition.Capacity,
            agent.Definition.MaxTotal,
            agent.Definition.Queues.ToDictionary(q => q.QueueId, q => q.Rank, StringComparer.Ordinal),
            inUse ?? new Dictionary<string, int>(),
            agent.IdleSince
        );
}
