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
    /// Where an agent stands in the order <paramref name="method"/> picks in, for conversations asking for
    /// <paramref name="skills"/> (only most-skilled looks at them), as a value: taken when the agent is filed, so a
    /// sorted index stays sound while the matcher counts slots on the live candidate.
    /// </summary>
    public static AgentOrderKey SelectionKey(SelectionMethod method, AgentCandidate agent, IReadOnlyList<string> skills) =>
        method switch
        {
            SelectionMethod.RoundRobin => new AgentOrderKey(0, 0, DateTimeOffset.MinValue, agent.Id),
            SelectionMethod.LeastOccupied => new AgentOrderKey(0, agent.Occupancy, agent.IdleSince, agent.Id),
            SelectionMethod.MostSkilled => new AgentOrderKey(agent.ProficiencyOn(skills), 0, agent.IdleSince, agent.Id),
            _ => new AgentOrderKey(0, 0, agent.IdleSince, agent.Id),
        };

    /// <summary>The order <paramref name="method"/> picks in, for conversations asking for <paramref name="skills"/>: by <see
    /// cref="SelectionKey"/>.</summary>
    public static IComparer<AgentCandidate> SelectionOrder(SelectionMethod method, IReadOnlyList<string> skills) =>
        Comparer<AgentCandidate>.Create((a, b) => SelectionKey(method, a, skills).CompareTo(SelectionKey(method, b, skills)));

    /// <summary>
    /// The same choice as <see cref="AgentFor"/>, for agents given in <see cref="SelectionOrder"/> for the
    /// conversation's skills: the first eligible one (for round-robin, the first after the cursor, else the
    /// first), without looking further — so a queue with many idle agents pays for the agents it skips, not for
    /// all of them.
    /// </summary>
    public AgentCandidate? FirstInOrderFor(WaitingConversation conversation, IEnumerable<AgentCandidate> agentsInOrder, DateTimeOffset now)
    {
        AgentCandidate? first = null;
        AgentCandidate? picked = null;
        // Most-skilled order falls in proficiency: once it drops below the sum of the minimums in force, no agent
        // further on can meet them (levels are never negative).
        var floor = Method == SelectionMethod.MostSkilled ? conversation.Skills.StepAt(conversation.WaitedAt(now)).MinimumTotal : 0;
        foreach (var agent in agentsInOrder)
        {
            if (floor > 0 && agent.ProficiencyOn(conversation.Skills.Skills) < floor)
            {
                break;
            }
            if (!Eligibility.IsEligible(agent, conversation, now))
            {
                continue;
            }
            if (Method != SelectionMethod.RoundRobin || LastPicked is null || string.CompareOrdinal(agent.Id, LastPicked) > 0)
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
    public List<WaitingConversation> ConversationsFor(
        AgentCandidate agent,
        IEnumerable<WaitingConversation> lineInOrder,
        DateTimeOffset now
    )
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
    public List<Assignment> MatchAll(
        IEnumerable<WaitingConversation> lineInOrder,
        IReadOnlyCollection<AgentCandidate> agents,
        DateTimeOffset now
    )
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

/// <summary>
/// An agent's place in a selection order: most proficient first (0 when the method ignores skills), then least
/// occupied (0 when it ignores load), then longest idle (<see cref="DateTimeOffset.MinValue"/> when it ignores
/// idle time), then by id, which settles every tie.
/// </summary>
public readonly record struct AgentOrderKey(int Proficiency, double Occupancy, DateTimeOffset IdleSince, string Id)
    : IComparable<AgentOrderKey>
{
    public int CompareTo(AgentOrderKey other)
    {
        var bySkill = other.Proficiency.CompareTo(Proficiency);
        if (bySkill != 0)
        {
            return bySkill;
        }
        var byLoad = Occupancy.CompareTo(other.Occupancy);
        if (byLoad != 0)
        {
            return byLoad;
        }
        var byIdle = IdleSince.CompareTo(other.IdleSince);
        return byIdle != 0 ? byIdle : string.CompareOrdinal(Id, other.Id);
    }
}
