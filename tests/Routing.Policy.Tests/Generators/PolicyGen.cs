using CsCheck;

namespace Routing.Policy.Tests.Generators;

/// <summary>An agent's state before a matching pass; <see cref="ToCandidate"/> gives a fresh, unshared copy.</summary>
internal sealed record AgentSpec(
    string Id,
    bool Available,
    Dictionary<string, int> Skills,
    Dictionary<string, int> Capacity,
    int? MaxTotal,
    Dictionary<string, int> Queues,
    DateTimeOffset IdleSince,
    Dictionary<string, int> InUse
)
{
    public AgentCandidate ToCandidate() => new(Id, Available, Skills, new AgentCapacity(Capacity, MaxTotal), Queues, IdleSince, InUse);

    public override string ToString() =>
        $"{Id} {(Available ? "available" : "away")} skills[{Show(Skills)}] cap[{Show(Capacity)}] max={MaxTotal?.ToString() ?? "-"} "
        + $"queues[{Show(Queues)}] "
        + $"idle={IdleSince:HH:mm:ss} inUse[{Show(InUse)}]";

    internal static string Show(IReadOnlyDictionary<string, int> map) => string.Join(",", map.Select(p => $"{p.Key}={p.Value}"));
}

/// <summary>One matching pass to check: agents as they were, the line in priority order, the queue's method and cursor.</summary>
internal sealed record MatchScenario(
    AgentSpec[] Agents,
    WaitingConversation[] Line,
    SelectionMethod Method,
    string? LastPicked,
    double AgingPerSecond,
    DateTimeOffset Now
)
{
    public AgentCandidate[] FreshAgents() => [.. Agents.Select(a => a.ToCandidate())];

    public override string ToString() =>
        $"{Method} cursor={LastPicked ?? "-"} aging={AgingPerSecond}{Environment.NewLine}"
        + string.Join(Environment.NewLine, Agents.Select(a => "  " + a))
        + Environment.NewLine
        + string.Join(Environment.NewLine, Line.Select(c => "  " + PolicyGen.Show(c, Now)));
}

/// <summary>CsCheck generators of agents, conversations and lines, small enough to find edge cases quickly.</summary>
internal static class PolicyGen
{
    public static readonly DateTimeOffset Now = Build.T0;
    public static readonly string[] Channels = ["chat", "social", "email", "voice"];
    public static readonly string[] SkillNames = ["billing", "returns", "zh", "en"];
    public static readonly string[] Queues = ["q1", "q2", "q3"];

    /// <summary>A map over some of <paramref name="keys"/>, each present with probability <paramref name="percent"/>.</summary>
    public static Gen<Dictionary<string, int>> MapOver(string[] keys, Gen<int> value, int percent) =>
        Gen.Select(Gen.Int[0, 99], value)
            .Array[keys.Length]
            .Select(pairs =>
                keys.Zip(pairs).Where(p => p.Second.Item1 < percent).ToDictionary(p => p.First, p => p.Second.Item2, StringComparer.Ordinal)
            );

    /// <summary>An agent: skills 1–5, 0–3 per channel (or none), an optional total, some queues, some load within its limits.</summary>
    public static readonly Gen<AgentSpec> Agent = Gen.Select(
        Gen.FrequencyConst((6, true), (2, false)),
        MapOver(SkillNames, Gen.Int[1, 5], 60),
        MapOver(Channels, Gen.Int[0, 3], 75),
        Gen.Int[0, 9].Select(t => t < 5 ? (int?)t : null),
        MapOver(Queues, Gen.Int[1, 3], 55),
        Gen.Int[0, 10].Select(m => Now - TimeSpan.FromMinutes(m)),
        Gen.Int[0, 3].Array[Channels.Length],
        (status, skills, capacity, maxTotal, queues, idleSince, load) =>
            new AgentSpec("", status, skills, capacity, maxTotal, queues, idleSince, LoadWithin(capacity, maxTotal, load))
    );

    /// <summary>The steps of a skill plan: 0–3 steps of 0–2 requirements, each timed 0–90 s or (rarely) untimed.</summary>
    public static readonly Gen<SkillPlan> Plan = Gen.Select(
            MapOver(SkillNames, Gen.Int[1, 5], 25),
            Gen.Int[0, 9].Select(d => d == 0 ? (TimeSpan?)null : TimeSpan.FromSeconds((d - 1) * 10))
        )
        .Select((requirements, duration) => new SkillStep(requirements, duration))
        .Array[0, 3]
        .Select(steps => new SkillPlan(steps));

    /// <summary>
    /// A conversation waiting up to three minutes (to the tick), possibly excluding some of the
    /// <paramref name="agentCount"/> agents and overflowing to another queue; <see cref="Numbered"/> names it.
    /// </summary>
    public static Gen<WaitingConversation> Conversation(int agentCount) =>
        Gen.Select(
            Gen.OneOfConst(Queues),
            Gen.OneOfConst(Channels),
            Gen.OneOf(Gen.OneOfConst(10, 20, 30, 50), Gen.Int[0, 60]),
            Gen.Select(Gen.Int[0, 180], Gen.OneOf(Gen.Const(0L), Gen.Long[0, TimeSpan.TicksPerSecond - 1])),
            Plan,
            Gen.Int[0, 99].Array[agentCount],
            Gen.Select(Gen.Int[0, 99], Gen.OneOfConst(Queues), Gen.Int[0, 120]),
            (queue, channel, priority, waited, plan, exclude, overflow) =>
                new WaitingConversation(
                    "",
                    queue,
                    channel,
                    priority,
                    Now - TimeSpan.FromSeconds(waited.Item1) - TimeSpan.FromTicks(waited.Item2),
                    0,
                    plan,
                    Enumerable.Range(0, agentCount).Where(i => exclude[i] < 15).Select(AgentId).ToHashSet(StringComparer.Ordinal),
                    overflow.Item1 < 30 ? new Overflow(overflow.Item2, TimeSpan.FromSeconds(overflow.Item3)) : null
                )
        );

    /// <summary>Agents a0… (in a random list order) and a line of conversations c0… in priority order.</summary>
    public static readonly Gen<MatchScenario> Scenario = Gen.SelectMany(
        Gen.Int[1, 8],
        Gen.Int[0, 24],
        (agentCount, conversationCount) =>
            Gen.Select(
                Agent.Array[agentCount],
                Gen.Int[0, 99].Array[agentCount],
                Conversation(agentCount).Array[conversationCount],
                Gen.Enum<SelectionMethod>(),
                Gen.Int[-1, agentCount],
                Gen.OneOfConst(0.0, 0.05, 0.5, 2.0),
                (agents, listOrder, conversations, method, cursor, aging) =>
                    new MatchScenario(
                        [.. agents.Select((a, i) => a with { Id = AgentId(i) }).Zip(listOrder).OrderBy(p => p.Second).Select(p => p.First)],
                        [.. conversations.Select(Numbered).Order(new PriorityOrder(aging))],
                        method,
                            // The cursor may name an agent that is not in the list: "a35" sorts between a3 and a4.
                            cursor < 0
                                ? null
                            : cursor == agentCount ? "a35"
                            : AgentId(cursor),
                        aging,
                        Now
                    )
            )
    );

    /// <summary>The conversation as the <paramref name="index"/>th arrival: id <c>c{index}</c>.</summary>
    public static WaitingConversation Numbered(WaitingConversation c, int index) =>
        new($"c{index}", c.QueueId, c.Channel, c.Priority, c.WaitingSince, index, c.Skills, c.ExcludedAgents, c.Overflow);

    public static string AgentId(int n) => $"a{n}";

    private static string ShowSeconds(TimeSpan? duration) => duration?.TotalSeconds.ToString() ?? "ever";

    public static string Show(WaitingConversation c, DateTimeOffset now) =>
        $"{c.Id} {c.QueueId}/{c.Channel} p={c.Priority} waited={c.WaitedAt(now).TotalSeconds:0.#######}s "
        + $"steps[{string.Join(" ; ", c.Skills.Steps.Select(s => $"{AgentSpec.Show(s.Requirements)} for {ShowSeconds(s.Duration)}"))}] "
        + $"excluded[{string.Join(",", c.ExcludedAgents)}] overflow={(c.Overflow is { } o ? $"{o.QueueId}@{o.After.TotalSeconds}s" : "-")}";

    /// <summary>Trims a random load so it fits the channel limits and the total.</summary>
    private static Dictionary<string, int> LoadWithin(Dictionary<string, int> capacity, int? maxTotal, int[] load)
    {
        var inUse = new Dictionary<string, int>(StringComparer.Ordinal);
        var room = maxTotal ?? int.MaxValue;
        for (var i = 0; i < Channels.Length && room > 0; i++)
        {
            var n = Math.Min(Math.Min(load[i], capacity.GetValueOrDefault(Channels[i])), room);
            if (n > 0)
            {
                inUse[Channels[i]] = n;
                room -= n;
            }
        }
        return inUse;
    }
}
