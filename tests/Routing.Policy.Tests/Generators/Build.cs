namespace Routing.Policy.Tests.Generators;

/// <summary>Terse builders for the unit tests: every argument has a default that makes the agent eligible.</summary>
internal static class Build
{
    /// <summary>The clock of every test: the start of Singles' Day.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 11, 11, 0, 0, 0, TimeSpan.Zero);

    public const string Queue = "sales";

    public static DateTimeOffset At(double seconds) => T0 + TimeSpan.FromSeconds(seconds);

    public static Dictionary<string, int> Map(params (string Key, int Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public static AgentCandidate Agent(
        string id = "a1",
        bool available = true,
        Dictionary<string, int>? skills = null,
        Dictionary<string, int>? capacity = null,
        int? maxTotal = null,
        Dictionary<string, int>? queues = null,
        DateTimeOffset? idleSince = null,
        Dictionary<string, int>? inUse = null
    ) =>
        new(
            id,
            available,
            skills ?? Map(("billing", 3)),
            new AgentCapacity(capacity ?? Map(("chat", 3), ("email", 5), ("voice", 1)), maxTotal),
            queues ?? Map((Queue, 1)),
            idleSince ?? T0,
            inUse
        );

    public static WaitingConversation Conversation(
        string id = "c1",
        string queue = Queue,
        string channel = "chat",
        int priority = 10,
        DateTimeOffset? since = null,
        long arrival = 0,
        SkillPlan? plan = null,
        string[]? excluded = null,
        Overflow? overflow = null
    ) =>
        new(
            id,
            queue,
            channel,
            priority,
            since ?? T0,
            arrival,
            plan ?? SkillPlan.None,
            excluded is null ? null : new HashSet<string>(excluded, StringComparer.Ordinal),
            overflow
        );

    /// <summary>A step lasting <paramref name="seconds"/> (null: for ever) that requires the given minimum levels.</summary>
    public static SkillStep Step(double? seconds, params (string Skill, int Level)[] requirements) =>
        new(Map(requirements), seconds is { } s ? TimeSpan.FromSeconds(s) : null);

    public static SkillPlan Plan(params SkillStep[] steps) => new(steps);
}
