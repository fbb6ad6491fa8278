namespace Routing.Policy.Tests.Generators;

/// <summary>
/// The rules of docs/routing.md written out a second time, independently of the policy, to judge a matching pass: the rules
/// the properties check results against.
/// </summary>
internal static class MatchChecks
{
    /// <summary>Rule 1 read straight from docs/routing.md, for an agent holding <paramref name="inUse"/>.</summary>
    public static bool MayBeOffered(AgentSpec agent, IReadOnlyDictionary<string, int> inUse, WaitingConversation c, DateTimeOffset now)
    {
        var waited = now > c.WaitingSince ? now - c.WaitingSince : TimeSpan.Zero;
        var servesQueue =
            agent.Queues.ContainsKey(c.QueueId) || (c.Overflow is { } o && agent.Queues.ContainsKey(o.QueueId) && waited >= o.After);
        var total = inUse.Values.Sum();
        var hasRoom =
            inUse.GetValueOrDefault(c.Channel) < agent.Capacity.GetValueOrDefault(c.Channel)
            && (agent.MaxTotal is not { } max || total < max);
        var meetsStep = CurrentRequirements(c.Skills, waited).All(r => agent.Skills.GetValueOrDefault(r.Key) >= r.Value);
        return agent.Available && servesQueue && hasRoom && !c.ExcludedAgents.Contains(agent.Id) && meetsStep;
    }

    /// <summary>
    /// Every way the result of <see cref="Matcher.MatchAll"/> on <paramref name="scenario"/> breaks the rules of docs/routing.md, given the
    /// assignments and the agents as the pass left them. Empty when the pass kept every rule.
    /// </summary>
    public static List<string> Violations(
        MatchScenario scenario,
        IReadOnlyList<Assignment> assignments,
        IReadOnlyList<AgentCandidate> after
    )
    {
        var problems = new List<string>();
        var specs = scenario.Agents.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var held = scenario.Agents.ToDictionary(
            a => a.Id,
            a => new Dictionary<string, int>(a.InUse, StringComparer.Ordinal),
            StringComparer.Ordinal
        );
        var position = scenario.Line.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var cursor = scenario.LastPicked;
        var lastPosition = -1;

        // Replay the pass on a copy of the agents as they were, one assignment at a time.
        foreach (var (conversation, agent) in assignments)
        {
            if (!position.TryGetValue(conversation.Id, out var at) || at <= lastPosition)
            {
                problems.Add($"{conversation.Id} assigned twice, out of line order or not from the line");
                continue;
            }
            lastPosition = at;
            var eligible = scenario.Agents.Where(a => MayBeOffered(a, held[a.Id], conversation, scenario.Now)).ToList();
            if (!eligible.Any(a => a.Id == agent.Id))
            {
                problems.Add($"{conversation.Id} went to {agent.Id}, which was not eligible for it");
            }
            else if (Expected(scenario.Method, eligible, held, conversation, cursor) is var expected && expected.Id != agent.Id)
            {
                problems.Add($"{conversation.Id} went to {agent.Id}; {scenario.Method} should have picked {expected.Id}");
            }
            held[agent.Id][conversation.Channel] = held[agent.Id].GetValueOrDefault(conversation.Channel) + 1;
            cursor = scenario.Method == SelectionMethod.RoundRobin ? agent.Id : cursor;
        }

        foreach (var agent in after)
        {
            var spec = specs[agent.Id];
            foreach (var (channel, n) in agent.InUse.Where(p => p.Value > spec.Capacity.GetValueOrDefault(p.Key)))
            {
                problems.Add($"{agent.Id} holds {n} on {channel}, over its limit of {spec.Capacity.GetValueOrDefault(channel)}");
            }
            if (spec.MaxTotal is { } max && agent.TotalInUse > max)
            {
                problems.Add($"{agent.Id} holds {agent.TotalInUse} in all, over its total of {max}");
            }
            if (agent.TotalInUse != held[agent.Id].Values.Sum() || agent.InUse.Any(p => p.Value != held[agent.Id].GetValueOrDefault(p.Key)))
            {
                problems.Add($"{agent.Id} counts [{AgentSpec.Show(agent.InUse)}] but was promised [{AgentSpec.Show(held[agent.Id])}]");
            }
        }

        // Maximality: nothing left waiting while an agent that may take it still has room.
        var assigned = assignments.Select(a => a.Conversation.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var conversation in scenario.Line.Where(c => !assigned.Contains(c.Id)))
        {
            if (scenario.Agents.FirstOrDefault(a => MayBeOffered(a, held[a.Id], conversation, scenario.Now)) is { } idle)
            {
                problems.Add($"{conversation.Id} left waiting although {idle.Id} may take it");
            }
        }
        return problems;
    }

    /// <summary>The requirements in force after <paramref name="waited"/>: each timed step in turn, an untimed one for ever, then
    /// none.</summary>
    private static IReadOnlyDictionary<string, int> CurrentRequirements(SkillPlan plan, TimeSpan waited)
    {
        var start = TimeSpan.Zero;
        foreach (var step in plan.Steps)
        {
            if (step.Duration is null || waited < start + step.Duration)
            {
                return step.Requirements;
            }
            start += step.Duration.Value;
        }
        return new Dictionary<string, int>();
    }

    /// <summary>Rule 4 read straight from docs/routing.md: the agent the method should pick among <paramref name="eligible"/>.</summary>
    private static AgentSpec Expected(
        SelectionMethod method,
        List<AgentSpec> eligible,
        Dictionary<string, Dictionary<string, int>> held,
        WaitingConversation c,
        string? cursor
    )
    {
        var byId = eligible.OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        var byIdle = byId.OrderBy(a => a.IdleSince).ToList();
        return method switch
        {
            SelectionMethod.LongestIdle => byIdle[0],
            SelectionMethod.MostSkilled => byIdle
                .OrderByDescending(a =>
                    c.Skills.Steps.SelectMany(s => s.Requirements.Keys).Distinct().Sum(k => a.Skills.GetValueOrDefault(k))
                )
                .First(),
            SelectionMethod.LeastOccupied => byIdle
                .OrderBy(a => (double)held[a.Id].Values.Sum() / Math.Min(a.MaxTotal ?? int.MaxValue, a.Capacity.Values.Sum()))
                .First(),
            SelectionMethod.RoundRobin => byId.FirstOrDefault(a => cursor is not null && string.CompareOrdinal(a.Id, cursor) > 0)
                ?? byId[0],
            _ => throw new ArgumentOutOfRangeException(nameof(method)),
        };
    }
}
