namespace Routing.Policy;

/// <summary>
/// docs/routing.md, rule 3, across queues: among the conversations an agent is eligible for, it gets the one from the
/// queue it ranks highest (rank 1 first; equal ranks by queue id), and inside that queue the first in
/// <see cref="PriorityOrder"/>.
/// </summary>
public static class RoutingProfile
{
    /// <summary>The agent's queues in the order it takes work from them.</summary>
    public static IEnumerable<string> QueuesByRank(IReadOnlyDictionary<string, int> queueRanks) =>
        queueRanks.OrderBy(q => q.Value).ThenBy(q => q.Key, StringComparer.Ordinal).Select(q => q.Key);

    /// <summary>
    /// The conversation the agent should get next from several lines, each already in priority order, or null.
    /// </summary>
    public static WaitingConversation? NextFor(
        AgentCandidate agent,
        IReadOnlyDictionary<string, IEnumerable<WaitingConversation>> linesByQueue,
        DateTimeOffset now
    )
    {
        foreach (var queueId in QueuesByRank(agent.QueueRanks))
        {
            if (!linesByQueue.TryGetValue(queueId, out var line))
            {
                continue;
            }
            var first = line.FirstOrDefault(c => Eligibility.IsEligible(agent, c, now));
            if (first is not null)
            {
                return first;
            }
        }
        return null;
    }
}
