namespace Routing.Policy;

/// <summary>
/// An agent as the matcher sees it: whether it is available, its skills, capacity, what it holds now, how long it has been idle,
/// and the queues it serves with its rank for each (1 is served first). The load is mutable so that a
/// matching pass can count the slots it has just promised.
/// </summary>
public sealed class AgentCandidate
{
    private readonly Dictionary<string, int> _inUse;

    public AgentCandidate(
        string id,
        bool available,
        IReadOnlyDictionary<string, int> skills,
        AgentCapacity capacity,
        IReadOnlyDictionary<string, int> queueRanks,
        DateTimeOffset idleSince,
        IReadOnlyDictionary<string, int>? inUse = null
    )
    {
        Id = id;
        Available = available;
        Skills = skills;
        Capacity = capacity;
        QueueRanks = queueRanks;
        IdleSince = idleSince;
        _inUse = inUse is null ? new(StringComparer.Ordinal) : new(inUse, StringComparer.Ordinal);
        TotalInUse = _inUse.Values.Sum();
    }

    public string Id { get; }

    /// <summary>Whether the agent is present and taking work; only an available agent is offered anything.</summary>
    public bool Available { get; }
    public IReadOnlyDictionary<string, int> Skills { get; }
    public AgentCapacity Capacity { get; }
    public IReadOnlyDictionary<string, int> QueueRanks { get; }
    public DateTimeOffset IdleSince { get; }
    public IReadOnlyDictionary<string, int> InUse => _inUse;
    public int TotalInUse { get; private set; }

    /// <summary>Share of the agent's capacity in use, 0 to 1.</summary>
    public double Occupancy => Capacity.EffectiveTotal == 0 ? 1 : (double)TotalInUse / Capacity.EffectiveTotal;

    public bool Serves(string queueId) => QueueRanks.ContainsKey(queueId);

    public bool HasRoomFor(string channel) => Capacity.HasRoomFor(channel, _inUse, TotalInUse);

    /// <summary>Whether the agent could take anything at all right now.</summary>
    public bool IsReady => Available && Capacity.PerChannel.Keys.Any(HasRoomFor);

    /// <summary>Counts one more conversation on <paramref name="channel"/>.</summary>
    public void Take(string channel)
    {
        _inUse[channel] = (_inUse.TryGetValue(channel, out var n) ? n : 0) + 1;
        TotalInUse++;
    }

    /// <summary>Summed proficiency on the named skills (0 for a skill the agent lacks).</summary>
    public int ProficiencyOn(IReadOnlyList<string> skills)
    {
        var sum = 0;
        foreach (var skill in skills)
        {
            sum += Skills.TryGetValue(skill, out var level) ? level : 0;
        }
        return sum;
    }
}
