namespace Routing.Policy;

/// <summary>docs/routing.md, rule 4: which of several eligible agents gets a conversation.</summary>
public static class AgentSelector
{
    /// <summary>
    /// Picks one of <paramref name="eligible"/> by <paramref name="method"/>. <paramref name="lastPicked"/> is the
    /// round-robin cursor: the id picked last by this queue, or null.
    /// </summary>
    public static AgentCandidate? Pick(
        SelectionMethod method,
        IReadOnlyList<AgentCandidate> eligible,
        WaitingConversation conversation,
        string? lastPicked
    )
    {
        if (eligible.Count == 0)
        {
            return null;
        }
        return method switch
        {
            SelectionMethod.LongestIdle => Best(eligible, static (a, b, _) => CompareIdle(a, b), conversation),
            SelectionMethod.MostSkilled => Best(
                eligible,
                static (a, b, c) =>
                {
                    var bySkill = b.ProficiencyOn(c.Skills.Skills).CompareTo(a.ProficiencyOn(c.Skills.Skills));
                    return bySkill != 0 ? bySkill : CompareIdle(a, b);
                },
                conversation
            ),
            SelectionMethod.LeastOccupied => Best(
                eligible,
                static (a, b, _) =>
                {
                    var byLoad = a.Occupancy.CompareTo(b.Occupancy);
                    return byLoad != 0 ? byLoad : CompareIdle(a, b);
                },
                conversation
            ),
            SelectionMethod.RoundRobin => NextInTurn(eligible, lastPicked),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown selection method."),
        };
    }

    /// <summary>Longest idle first; the agent id settles exact ties so the choice is deterministic.</summary>
    private static int CompareIdle(AgentCandidate a, AgentCandidate b)
    {
        var byIdle = a.IdleSince.CompareTo(b.IdleSince);
        return byIdle != 0 ? byIdle : string.CompareOrdinal(a.Id, b.Id);
    }

    private static AgentCandidate Best(
        IReadOnlyList<AgentCandidate> eligible,
        Func<AgentCandidate, AgentCandidate, WaitingConversation, int> compare,
        WaitingConversation conversation
    )
    {
        var best = eligible[0];
        for (var i = 1; i < eligible.Count; i++)
        {
            if (compare(eligible[i], best, conversation) < 0)
            {
                best = eligible[i];
            }
        }
        return best;
    }

    private static AgentCandidate NextInTurn(IReadOnlyList<AgentCandidate> eligible, string? lastPicked)
    {
        AgentCandidate? next = null;
        AgentCandidate? first = null;
        foreach (var agent in eligible)
        {
            if (first is null || string.CompareOrdinal(agent.Id, first.Id) < 0)
            {
                first = agent;
            }
            if (
                lastPicked is not null
                && string.CompareOrdinal(agent.Id, lastPicked) > 0
                && (next is null || string.CompareOrdinal(agent.Id, next.Id) < 0)
            )
            {
                next = agent;
            }
        }
        return next ?? first!;
    }
}
