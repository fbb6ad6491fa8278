using Routing.Contracts;
using Routing.Policy;
using PolicyStatus = Routing.Policy.AgentStatus;

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

    // The ready agents again, in the queue's selection order, when its method can stop at the first eligible one.
    private SortedSet<AgentCandidate>? _ordered;

    /// <summary>Every agent serving the queue, whatever its status and load.</summary>
    public IEnumerable<AgentCandidate> Candidates => _agents.Values.Select(a => a.Candidate);

    /// <summary>The agents available with room for something, the only ones an offer can go to.</summary>
    public IReadOnlyCollection<AgentCandidate> Ready => _ready.Values;

    /// <summary>The ready agents in selection order; null unless <see cref="KeepInOrder"/> was given an order.</summary>
    public IReadOnlyCollection<AgentCandidate>? ReadyInOrder => _ordered;

    /// <summary>Keeps the ready agents sorted by <paramref name="order"/> too (null: don't).</summary>
    public void KeepInOrder(IComparer<AgentCandidate>? order) =>
        _ordered = order is null ? null : new SortedSet<AgentCandidate>(_ready.Values, order);

    /// <summary>Re-files an agent whose candidate the matcher has just counted a slot on.</summary>
    public void Refresh(AgentCandidate candidate)
    {
        if (candidate.IsReady)
        {
            _ready[candidate.Id] = candidate;
            _ordered?.Add(candidate);
        }
        else
        {
            _ready.Remove(candidate.Id);
            _ordered?.Remove(candidate);
        }
    }

    private void Forget(AgentCandidate candidate)
    {
        _ready.Remove(candidate.Id);
        _ordered?.Remove(candidate);
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
        membershipChanged = !known
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
        int available = 0, busy = 0, away = 0, offline = 0;
        foreach (var candidate in Candidates)
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

    private sealed class Mirrored(AgentAvailability info)
    {
        public AgentAvailability Info { get; set; } = info;

        public List<string> Pending { get; } = [];

        public AgentCandidate Candidate { get; private set; } = null!;

        /// <summary>The candidate as reported, plus the slots of the attempts under way.</summary>
        public void Rebuild()
        {
            Candidate = new AgentCandidate(Info.AgentId, (PolicyStatus)(int)Info.Status, Info.Skills,
                new AgentCapacity(Info.Capacity, Info.MaxTotal), Info.QueueRanks, Info.IdleSince, Info.InUse);
            foreach (var channel in Pending)
            {
                Candidate.Take(channel);
            }
        }
    }
}
