using Routing.Contracts;
using Routing.Policy;
using PolicyStatus = Routing.Policy.AgentStatus;

namespace Routing.Grains.Queues;

/// <summary>
/// A queue's copy of the availability of the agents that serve it. It is a hint for matching: the agent grain
/// stays the authority and refuses a reservation the mirror wrongly thought possible. Updates older than the
/// one held (by <see cref="AgentAvailability.Version"/>) are ignored.
/// </summary>
internal sealed class AgentMirror
{
    private readonly Dictionary<string, (AgentAvailability Info, AgentCandidate Candidate)> _agents = new(StringComparer.Ordinal);

    public IEnumerable<AgentCandidate> Candidates => _agents.Values.Select(a => a.Candidate);

    public int Count => _agents.Count;

    public bool TryGet(string agentId, out AgentCandidate candidate)
    {
        var found = _agents.TryGetValue(agentId, out var entry);
        candidate = entry.Candidate;
        return found;
    }

    /// <summary>
    /// Applies an update if it is newer. Returns true when the set of agents serving the queue, or what they can
    /// do, changed — the cue to re-check which conversations can never be served.
    /// </summary>
    public bool Apply(string queueId, AgentAvailability info, out bool membershipChanged)
    {
        membershipChanged = false;
        var known = _agents.TryGetValue(info.AgentId, out var current);
        if (known && current.Info.Version > info.Version)
        {
            return false;
        }
        if (!info.QueueRanks.ContainsKey(queueId))
        {
            membershipChanged = _agents.Remove(info.AgentId);
            return membershipChanged;
        }
        membershipChanged = !known
            || !SameContents(current.Info.Skills, info.Skills)
            || !SameContents(current.Info.Capacity, info.Capacity)
            || current.Info.MaxTotal != info.MaxTotal;
        _agents[info.AgentId] = (info, ToCandidate(info));
        return true;
    }

    /// <summary>An attempt to reach the agent failed: treat it as unavailable until it says otherwise.</summary>
    public void Suspend(string agentId)
    {
        if (_agents.TryGetValue(agentId, out var current))
        {
            var info = current.Info with { Status = Contracts.AgentStatus.Offline };
            _agents[agentId] = (info, ToCandidate(info));
        }
    }

    public (int Available, int Busy, int Away, int Offline) CountByStatus()
    {
        int available = 0, busy = 0, away = 0, offline = 0;
        foreach (var (_, candidate) in _agents.Values)
        {
            switch (candidate.Status)
            {
                case PolicyStatus.Available when candidate.TotalInUse == 0:
                    available++;
                    break;
                case PolicyStatus.Available:
                    busy++;
                    break;
                case PolicyStatus.Away:
                    away++;
                    break;
                default:
                    offline++;
                    break;
            }
        }
        return (available, busy, away, offline);
    }

    private static bool SameContents(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b) =>
        ReferenceEquals(a, b) || (a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value));

    private static AgentCandidate ToCandidate(AgentAvailability info) => new(
        info.AgentId,
        (PolicyStatus)(int)info.Status,
        info.Skills,
        new AgentCapacity(info.Capacity, info.MaxTotal),
        info.QueueRanks,
        info.IdleSince,
        info.InUse);
}
