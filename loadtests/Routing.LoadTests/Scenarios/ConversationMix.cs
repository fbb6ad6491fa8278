using Routing.Contracts;

namespace Routing.LoadTests.Scenarios;

/// <summary>
/// A conversation the generator will create. <see cref="SelfService"/>: it takes the self-service step, and after
/// <see cref="SelfServiceSeconds"/> the customer <see cref="Resolves"/> it with the bot's answer, or asks for a person.
/// </summary>
public sealed record ConversationSpec(
    string QueueId,
    string Channel,
    string Tier,
    IReadOnlyList<SkillRequirementStep> Skills,
    double HandleSeconds,
    double PatienceSeconds,
    bool SelfService = false,
    bool Resolves = false,
    double SelfServiceSeconds = 0
);

/// <summary>An agent the scenario defines: skills and the queues it serves, by rank.</summary>
public sealed record AgentSpec(string Id, Dictionary<string, int> Skills, List<QueueMembership> Queues);

/// <summary>Draws agents and conversations from a scenario, reproducibly from its seed.</summary>
public sealed class ConversationMix(Scenario scenario)
{
    private readonly Random _random = new(scenario.Seed);
    private readonly object _gate = new();

    public IReadOnlyList<AgentSpec> Agents()
    {
        var random = new Random(scenario.Seed + 1);
        var agents = new List<AgentSpec>(scenario.Agents);
        var queues = scenario.Queues;
        for (var i = 0; i < scenario.Agents; i++)
        {
            var skills = new Dictionary<string, int> { ["zh"] = 5, ["returns"] = 1 + random.Next(5) };
            if (random.NextDouble() < 0.3)
            {
                skills["en"] = 3 + random.Next(3);
            }
            // Each agent serves two queues: a primary (rank 1) and a secondary (rank 2), spread evenly.
            var primary = queues[i % queues.Count].Id;
            var secondary = queues[(i + 1 + (i / queues.Count % Math.Max(1, queues.Count - 1))) % queues.Count].Id;
            var memberships = new List<QueueMembership> { new(primary, 1) };
            if (secondary != primary)
            {
                memberships.Add(new QueueMembership(secondary, 2));
            }
            agents.Add(new AgentSpec($"agent-{i:00000}", skills, memberships));
        }
        return agents;
    }

    public ConversationSpec Next()
    {
        lock (_gate)
        {
            var tier = Pick(scenario.TierMix);
            var queue =
                tier == "vip" && scenario.Queues.Any(q => q.Id == "vip-care")
                    ? scenario.Queues.First(q => q.Id == "vip-care")
                    : PickQueue();
            var skills = queue.Skill is { } skill
                ? new List<SkillRequirementStep>
                {
                    new(new Dictionary<string, int> { [skill] = 3 }, 5),
                    new(new Dictionary<string, int> { [skill] = 1 }, null),
                }
                : [];
            var handle = Math.Max(scenario.HandleSecondsMin, Exponential(scenario.HandleSecondsMean));
            var patience = scenario.PatienceSecondsMean <= 0 ? double.PositiveInfinity : Exponential(scenario.PatienceSecondsMean);
            var channel = Pick(scenario.ChannelMix);
            if (scenario.SelfServiceShare <= 0 || !SelfServiceModes.AppliesTo(channel))
            {
                return new ConversationSpec(queue.Id, channel, tier, skills, handle, patience);
            }
            var resolves = _random.NextDouble() < scenario.SelfServiceShare;
            var think = Math.Max(scenario.SelfServiceSecondsMin, Exponential(scenario.SelfServiceSecondsMean));
            return new ConversationSpec(queue.Id, channel, tier, skills, handle, patience, SelfService: true, resolves, think);
        }
    }

    public double AcceptDelayMs()
    {
        lock (_gate)
        {
            return scenario.AcceptDelayMsMean <= 0 ? 0 : Exponential(scenario.AcceptDelayMsMean);
        }
    }

    public bool Declines()
    {
        lock (_gate)
        {
            return _random.NextDouble() < scenario.DeclineRate;
        }
    }

    private QueueSpec PickQueue()
    {
        var total = scenario.Queues.Sum(q => q.Share);
        var x = _random.NextDouble() * total;
        foreach (var q in scenario.Queues)
        {
            if ((x -= q.Share) <= 0)
            {
                return q;
            }
        }
        return scenario.Queues[^1];
    }

    private string Pick(Dictionary<string, double> mix)
    {
        var x = _random.NextDouble() * mix.Values.Sum();
        foreach (var (key, share) in mix)
        {
            if ((x -= share) <= 0)
            {
                return key;
            }
        }
        return mix.Keys.Last();
    }

    private double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());
}
