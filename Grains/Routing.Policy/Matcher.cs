namespace Routing.Policy;

/// <summary>A conversation promised to an agent by a matching pass.</summary>
public readonly record struct Assignment(WaitingConversation Conversation, AgentCandidate Agent);

/// <summary>
/// Pairs waiting conversations with eligible agents. Each call counts the slots it promises on the
/// <see cref="AgentCandidate"/>s it is given, so one pass never over-books an agent.
/// </summary>
public sealed class Matcher
{
    private readonly List<AgentCandidate> _eligible = [];

    public Matcher(SelectionMethod method) => Method = method;

    public SelectionMethod Method { get; }

    /// <summary>The round-robin cursor: the agent picked last.</summary>
    public string? LastPicked { get; set; }

    /// <summary>The agent a newly waiting (or newly relaxed) conversation should go to, if any is eligible now.</summary>
    public AgentCandidate? AgentFor(WaitingConversation conversation, IEnumerable<AgentCandidate> agents, DateTimeOffset now)
    {
        _eligible.Clear();
        foreach (var agent in agents)
        {
            if (Eligibility.IsEligible(agent, conversation, now))
            {
                _eligible.Add(agent);
            }
        }
        var picked = AgentSelector.Pick(Method, _eligible, conversation, LastPicked);
        if (picked is not null)
        {
            picked.Take(conversation.Channel);
            if (Method == SelectionMethod.RoundRobin)
            {
                LastPicked = picked.Id;
            }
        }
        return picked;
    }

    /// <summary>
    /// Whether <see cref="AgentFor"/> can stop at the first eligible agent when given the agents in
    /// <see cref="SelectionOrder"/>: true for longest-idle and round-robin, whose choice depends only on the
    /// agents' idle time and id; the others must weigh every eligible agent.
    /// </summary>
    public static bool ScansInOrder(SelectionMethod method) => method is SelectionMethod.LongestIdle or SelectionMethod.RoundRobin;

    /// <summary>The order <see cref="ScansInOrder"/> methods pick in: longest idle first, or by id for round-robin.</summary>
    public static IComparer<AgentCandidate> SelectionOrder(SelectionMethod method) => method == SelectionMethod.RoundRobin
        ? Comparer<AgentCandidate>.Create(static (a, b) => string.CompareOrdinal(a.Id, b.Id))
        : Comparer<AgentCandidate>.Create(static (a, b) =>
        {
            var byIdle = a.IdleSince.CompareTo(b.IdleSince);
            return byIdle != 0 ? byIdle : string.CompareOrdinal(a.Id, b.Id);
        });

    /// <summary>
    /// The same choice as <see cref="AgentFor"/>, for agents given in <see cref="SelectionOrder"/>: the first
    /// eligible one (for round-robin, the first after the cursor, else the first), without looking further — so
    /// a queue with many idle agents pays for the agents it skips, not for all of them.
    /// </summary>
    public AgentCandidate? FirstInOrderFor(WaitingConversation conversation, IEnumerable<AgentCandidate> agentsInOrder, DateTimeOffset now)
    {
        if (!ScansInOrder(Method))
        {
            throw new InvalidOperationException($"{Method} must weigh every eligible agent; use AgentFor.");
        }
        AgentCandidate? first = null;
        AgentCandidate? picked = null;
        foreach (var agent in agentsInOrder)
        {
            if (!Eligibility.IsEligible(agent, conversation, now))
            {
                continue;
            }
            if (Method == SelectionMethod.LongestIdle || LastPicked is null || string.CompareOrdinal(agent.Id, LastPicked) > 0)
            {
                picked = agent;
                break;
            }
            first ??= agent;
        }
        picked ??= first;
        if (picked is not null)
        {
            picked.Take(conversation.Channel);
            if (Method == SelectionMethod.RoundRobin)
            {
                LastPicked = picked.Id;
            }
        }
        return picked;
    }

    /// <summary>
    /// The conversations an agent that just became ready should get from one line, best first, as many as it
    /// has room for. <paramref name="lineInOrder"/> must be in <see cref="PriorityOrder"/>.
    /// </summary>
    public List<WaitingConversation> ConversationsFor(AgentCandidate agent, IEnumerable<WaitingConversation> lineInOrder, DateTimeOffset now)
    {
        var picked = new List<WaitingConversation>();
        if (!agent.IsReady)
        {
            return picked;
        }
        foreach (var conversation in lineInOrder)
        {
            if (Eligibility.IsEligible(agent, conversation, now))
            {
                agent.Take(conversation.Channel);
                picked.Add(conversation);
                if (!agent.IsReady)
                {
                    break;
                }
            }
        }
        return picked;
    }

    /// <summary>
    /// A full pass: every conversation in order, each to the agent the selection method picks among those still
    /// eligible. Used when a line is rebuilt and by the raw-matcher baseline of the load tests.
    /// </summary>
    public List<Assignment> MatchAll(IEnumerable<WaitingConversation> lineInOrder, IReadOnlyCollection<AgentCandidate> agents, DateTimeOffset now)
    {
        var result = new List<Assignment>();
        foreach (var conversation in lineInOrder)
        {
            if (!agents.Any(a => a.IsReady))
            {
                break;
            }
            if (AgentFor(conversation, agents, now) is { } agent)
            {
                result.Add(new Assignment(conversation, agent));
            }
        }
        return result;
    }
}
