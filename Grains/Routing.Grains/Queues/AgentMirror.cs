using Routing.Contracts;
using Routing.Policy;

namespace Routing.Grains.Queues;

/// <summary>
/// A queue's copy of the availability of the agents that serve it: a hint for matching, while the agent grain
/// stays the authority and refuses a reservation the mirror wrongly thought possible. Each agent's last
/// report (updates older than it, by <see cref="AgentAvailability.Version"/>, are ignored) is combined with the
/// offers this queue has under way to it, so the queue never promises a slot an attempt is already using.
/// </summary>
internal sealed class AgentMirror
{
    private readonly Dictionary<string, Mirrored> _agents = new(StringComparer.Ordinal);

    // The agents that could take something now (available, with a free slot): what matching scans. Under a
    // backlog nearly everyone is busy, so an arrival looks at a handful of agents instead of all of them.
    private readonly Dictionary<string, AgentCandidate> _ready = new(StringComparer.Ordinal);

    // The ready agents again, those with room on a channel, sorted in the queue's selection order, so matching an
    // arrival stops at the first eligible agent. Most-skilled ranks by proficiency on the skills a conversation
    // asks for: one index per channel and set of skills seen (a few per queue in practice; beyond MaxIndexes,
    // matching weighs every ready agent).
    private const int MaxIndexes = 16;
    private readonly Dictionary<(string Channel, string Skills), OrderIndex> _indexes = [];
    private SelectionMethod _method;

    /// <summary>Every agent serving the queue, whatever its status and load.</summary>
    public IEnumerable<AgentCandidate> Candidates => _agents.Values.Select(a => a.Candidate);

    /// <summary>The last report of every agent serving the queue.</summary>
    public IEnumerable<AgentAvailability> Reports => _agents.Values.Select(a => a.Info);

    /// <summary>The agents available with room for something, the only ones an offer can go to.</summary>
    public IReadOnlyCollection<AgentCandidate> Ready => _ready.Values;

    /// <summary>Sorts the ready agents in <paramref name="method"/>'s selection order from now on.</summary>
    public void KeepInOrder(SelectionMethod method)
    {
        _method = method;
        _indexes.Clear();
    }

    /// <summary>
    /// The ready agents with room on <paramref name="channel"/>, in the selection order for conversations asking
    /// for <paramref name="skills"/>, or null when this queue already keeps as many orders as it will.
    /// </summary>
    public IEnumerable<AgentCandidate>? ReadyInOrderFor(string channel, SkillPlan skills)
    {
        var name = (channel, _method == SelectionMethod.MostSkilled ? skills.SkillsKey : "");
        if (!_indexes.TryGetValue(name, out var index))
        {
            if (_indexes.Count >= MaxIndexes)
            {
                return null;
            }
            index = new OrderIndex(_method, channel, _method == SelectionMethod.MostSkilled ? skills.Skills : []);
            foreach (var candidate in _ready.Values)
            {
                index.File(candidate);
            }
            _indexes[name] = index;
        }
        return index.InOrder;
    }

    /// <summary>Re-files an agent whose candidate the matcher has just counted a slot on.</summary>
    public void Refresh(AgentCandidate candidate)
    {
        Forget(candidate);
        if (candidate.IsReady)
        {
            _ready[candidate.Id] = candidate;
            foreach (var index in _indexes.Values)
            {
                index.File(candidate);
            }
        }
    }

    private void Forget(AgentCandidate candidate)
    {
        _ready.Remove(candidate.Id);
        foreach (var index in _indexes.Values)
        {
            index.Remove(candidate.Id);
        }
    }

    public bool TryGet(string agentId, out AgentCandidate candidate)
    {
        var found = _agents.TryGetValue(agentId, out var mirrored);
        candidate = mirrored?.Candidate!;
        return found;
    }

    /// <summary>
    /// Applies a report if it is newer. <paramref name="membershipChanged"/> tells whether the set of agents
    /// serving the queue, or what they could ever do, changed — the cue to re-check unservable conversations.
    /// </summary>
    public void Apply(string queueId, AgentAvailability info, out bool membershipChanged)
    {
        membershipChanged = false;
        var known = _agents.TryGetValue(info.AgentId, out var current);
        if (known && current!.Info.Version > info.Version)
        {
            return;
        }
        if (!info.QueueRanks.ContainsKey(queueId))
        {
            if (known)
            {
                Forget(current!.Candidate);
            }
            membershipChanged = _agents.Remove(info.AgentId);
            return;
        }
        membershipChanged =
            !known
            || !SameContents(current!.Info.Skills, info.Skills)
            || !SameContents(current.Info.Capacity, info.Capacity)
            || current.Info.MaxTotal != info.MaxTotal;
        var mirrored = current ?? new Mirrored(info);
        if (known)
        {
            Forget(mirrored.Candidate); // its idle time, and so its place in order, may change
        }
        mirrored.Info = info;
        mirrored.Rebuild();
        _agents[info.AgentId] = mirrored;
        Refresh(mirrored.Candidate);
    }

    /// <summary>An offer to the agent on <paramref name="channel"/> is under way (the matcher has already counted it).</summary>
    public void AttemptStarted(string agentId, string channel)
    {
        if (_agents.TryGetValue(agentId, out var mirrored))
        {
            mirrored.Pending.Add(channel);
            Refresh(mirrored.Candidate);
        }
    }

    /// <summary>The attempt is answered; <paramref name="report"/> is the agent's availability as it answered, if known.</summary>
    public void AttemptSettled(string queueId, string agentId, string channel, AgentAvailability? report)
    {
        if (_agents.TryGetValue(agentId, out var mirrored))
        {
            Forget(mirrored.Candidate);
            mirrored.Pending.Remove(channel);
            mirrored.Rebuild();
            Refresh(mirrored.Candidate);
        }
        if (report is not null)
        {
            Apply(queueId, report, out _);
        }
    }

    public (int Available, int Busy, int Away, int Offline) CountByStatus()
    {
        int available = 0,
            busy = 0,
            away = 0,
            offline = 0;
        foreach (var agent in _agents.Values)
        {
            switch (agent.Info.Status)
            {
                case AgentStatus.Available when agent.Candidate.TotalInUse == 0:
                    available++;
                    break;
                case AgentStatus.Available:
                    busy++;
                    break;
                case AgentStatus.Away:
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

    private sealed class Mirrored(AgentAvailability info)
    {
        public AgentAvailability Info { get; set; } = info;

        public List<string> Pending { get; } = [];

        public AgentCandidate Candidate { get; private set; } = null!;

        /// <summary>The candidate as reported, plus the slots of the attempts under way.</summary>
        public void Rebuild()
        {
            Candidate = new AgentCandidate(
                Info.AgentId,
                Info.Status == AgentStatus.Available,
                Info.Skills,
                new AgentCapacity(Info.Capacity, Info.MaxTotal),
                Info.QueueRanks,
                Info.IdleSince,
                Info.InUse
            );
            foreach (var channel in Pending)
            {
                Candidate.Take(channel);
            }
        }
    }

    /// <summary>Ready agents with room on one channel, filed under the key they had when filed (the matcher counts slots on live
    /// candidates), found again by id.</summary>
    private sealed class OrderIndex(SelectionMethod method, string channel, IReadOnlyList<string> skills)
    {
        private readonly SortedDictionary<AgentOrderKey, AgentCandidate> _sorted = [];
        private readonly Dictionary<string, AgentOrderKey> _filedUnder = new(StringComparer.Ordinal);

        public IEnumerable<AgentCandidate> InOrder => _sorted.Values;

        public void File(AgentCandidate candidate)
        {
            if (!candidate.HasRoomFor(channel))
            {
                return;
            }
            var key = Matcher.SelectionKey(method, candidate, skills);
            _sorted[key] = candidate;
            _filedUnder[candidate.Id] = key;
        }

        public void Remove(string agentId)
        {
            if (_filedUnder.Remove(agentId, out var key))
            {
                _sorted.Remove(key);
            }
        }
    }
}
