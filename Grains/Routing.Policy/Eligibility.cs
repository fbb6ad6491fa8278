namespace Routing.Policy;

/// <summary>docs/routing.md, rule 1: whether an agent may be offered a conversation now.</summary>
public static class Eligibility
{
    public static bool IsEligible(AgentCandidate agent, WaitingConversation conversation, DateTimeOffset now) =>
        agent.Available
        && ServesNow(agent, conversation, now)
        && agent.HasRoomFor(conversation.Channel)
        && !conversation.ExcludedAgents.Contains(agent.Id)
        && conversation.Skills.StepAt(conversation.WaitedAt(now)).IsMetBy(agent.Skills);

    /// <summary>The agent serves the conversation's queue, or its overflow queue once the overflow wait has passed.</summary>
    public static bool ServesNow(AgentCandidate agent, WaitingConversation conversation, DateTimeOffset now) =>
        agent.Serves(conversation.QueueId)
        || (conversation.Overflow is { } overflow && agent.Serves(overflow.QueueId) && conversation.WaitedAt(now) >= overflow.After);

    /// <summary>
    /// Whether the agent could ever serve the conversation, whatever its status and load: it serves one of the
    /// conversation's queues, has capacity for the channel and meets the last step of the requirements.
    /// A conversation no agent could ever serve is reported rather than left waiting silently (rule 2).
    /// </summary>
    public static bool CouldEverServe(AgentCandidate agent, WaitingConversation conversation) =>
        (agent.Serves(conversation.QueueId) || (conversation.Overflow is { } o && agent.Serves(o.QueueId)))
        && agent.Capacity.LimitFor(conversation.Channel) > 0
        && agent.Capacity.EffectiveTotal > 0
        && !conversation.ExcludedAgents.Contains(agent.Id)
        && conversation.Skills.Final.IsMetBy(agent.Skills);
}
