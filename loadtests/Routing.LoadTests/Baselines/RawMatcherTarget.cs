using Routing.LoadTests.Scenarios;
using Routing.LoadTests.Simulation;
using Routing.Policy;

namespace Routing.LoadTests.Baselines;

/// <summary>
/// Baseline R: the raw matcher — our routing policy library alone, in this process, behind one lock: no
/// Orleans, no network, no ledger, nothing durable. Driven by the same runner on the same scenario, it shows
/// the limit of the matching itself (and of the generator) on this machine.
/// </summary>
public sealed class RawMatcherTarget : ITarget
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Line> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Seat> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Waiting> _conversations = new(StringComparer.Ordinal);
    private IOfferSink _offers = null!;
    private long _arrival;

    public string Name => "R: raw matcher";

    public Task SetUpAsync(Scenario scenario, IReadOnlyList<AgentSpec> agents, IOfferSink offers, CancellationToken cancellationToken)
    {
        _offers = offers;
        foreach (var q in scenario.Queues)
        {
            _queues[q.Id] = new Line(new PriorityOrder(0.5), SelectionMethods.Parse(q.Selection));
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var a in agents)
        {
            var seat = new Seat(a, new AgentCapacity(scenario.Capacity, null), now);
            _agents[a.Id] = seat;
            foreach (var m in a.Queues)
            {
                _queues[m.QueueId].Agents.Add(seat);
            }
        }
        return Task.CompletedTask;
    }

    public Task<string?> CreateAsync(ConversationSpec conversation)
    {
        var id = Guid.CreateVersion7().ToString("N");
        List<(string, string, string)> offers;
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            var steps = conversation
                .Skills.Select(s => new SkillStep(s.Requirements, s.Seconds is { } sec ? TimeSpan.FromSeconds(sec) : null))
                .ToList();
            var waiting = new Waiting(
                new WaitingConversation(
                    id,
                    conversation.QueueId,
                    conversation.Channel,
                    Targets.Definitions.PriorityOf(conversation.Tier),
                    now,
                    ++_arrival,
                    new SkillPlan(steps),
                    new HashSet<string>()
                )
            );
            _conversations[id] = waiting;
            offers = [];
            var line = _queues[conversation.QueueId];
            if (line.Matcher.AgentFor(waiting.Conversation, line.Candidates(now), now) is { } agent)
            {
                Offer(waiting, _agents[agent.Id], offers);
            }
            else
            {
                line.Waiting.Add(waiting.Conversation);
            }
        }
        Deliver(offers);
        return Task.FromResult<string?>(id);
    }

    public Task<bool> AcceptAsync(string agentId, string conversationId)
    {
        lock (_gate)
        {
            return Task.FromResult(_conversations.TryGetValue(conversationId, out var c) && c.Holder == agentId && (c.Connected = true));
        }
    }

    public Task DeclineAsync(string agentId, string conversationId)
    {
        List<(string, string, string)> offers = [];
        lock (_gate)
        {
            if (_conversations.TryGetValue(conversationId, out var c) && c.Holder == agentId && !c.Connected)
            {
                ((HashSet<string>)c.Conversation.ExcludedAgents).Add(agentId);
                Free(c, _agents[agentId]);
                _queues[c.Conversation.QueueId].Waiting.Add(c.Conversation);
                MatchAgent(_agents[agentId], offers);
                MatchConversation(c, offers);
            }
        }
        Deliver(offers);
        return Task.CompletedTask;
    }

    public Task CompleteAsync(string agentId, string conversationId)
    {
        List<(string, string, string)> offers = [];
        lock (_gate)
        {
            if (_conversations.Remove(conversationId, out var c) && c.Holder == agentId)
            {
                Free(c, _agents[agentId]);
                MatchAgent(_agents[agentId], offers);
            }
        }
        Deliver(offers);
        return Task.CompletedTask;
    }

    public Task<bool> AbandonAsync(string conversationId)
    {
        List<(string, string, string)> offers = [];
        bool abandoned;
        lock (_gate)
        {
            abandoned = _conversations.TryGetValue(conversationId, out var c) && !c.Connected;
            if (abandoned)
            {
                _conversations.Remove(conversationId);
                _queues[c!.Conversation.QueueId].Waiting.Remove(c.Conversation);
                if (c.Holder is { } holder)
                {
                    Free(c, _agents[holder]);
                    MatchAgent(_agents[holder], offers);
                }
            }
        }
        Deliver(offers);
        return Task.FromResult(abandoned);
    }

    public ServerSample? SampleServer() => null;

    public IReadOnlyList<string> ServerSideViolations() => [];

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void Offer(Waiting c, Seat seat, List<(string, string, string)> offers)
    {
        c.Holder = seat.Spec.Id;
        seat.InUse[c.Conversation.Channel] = seat.InUse.GetValueOrDefault(c.Conversation.Channel) + 1;
        seat.Rebuild();
        offers.Add((seat.Spec.Id, c.Conversation.Id, c.Conversation.Channel));
    }

    private static void Free(Waiting c, Seat seat)
    {
        c.Holder = null;
        seat.InUse[c.Conversation.Channel]--;
        seat.IdleSince = DateTimeOffset.UtcNow;
        seat.Rebuild();
    }

    /// <summary>A freed agent takes work from its queues in rank order.</summary>
    private void MatchAgent(Seat seat, List<(string, string, string)> offers)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var membership in seat.Spec.Queues.OrderBy(q => q.Rank))
        {
            var line = _queues[membership.QueueId];
            foreach (var picked in line.Matcher.ConversationsFor(seat.Candidate, line.Waiting, now))
            {
                line.Waiting.Remove(picked);
                Offer(_conversations[picked.Id], seat, offers);
            }
        }
    }

    private void MatchConversation(Waiting c, List<(string, string, string)> offers)
    {
        var now = DateTimeOffset.UtcNow;
        var line = _queues[c.Conversation.QueueId];
        if (line.Matcher.AgentFor(c.Conversation, line.Candidates(now), now) is { } agent)
        {
            line.Waiting.Remove(c.Conversation);
            Offer(c, _agents[agent.Id], offers);
        }
    }

    private void Deliver(List<(string Agent, string Conversation, string Channel)> offers)
    {
        foreach (var (agent, conversation, channel) in offers)
        {
            _offers.Offered(agent, conversation, channel);
        }
    }

    private sealed class Line(PriorityOrder order, SelectionMethod method)
    {
        public SortedSet<WaitingConversation> Waiting { get; } = new(order);

        public Matcher Matcher { get; } = new(method);

        public List<Seat> Agents { get; } = [];

        public IEnumerable<AgentCandidate> Candidates(DateTimeOffset now) => Agents.Select(a => a.Candidate);
    }

    /// <summary>An agent's seat: its load, and the candidate the matcher sees, rebuilt whenever the load changes.</summary>
    private sealed class Seat
    {
        private readonly AgentCapacity _capacity;
        private readonly Dictionary<string, int> _ranks;

        public Seat(AgentSpec spec, AgentCapacity capacity, DateTimeOffset idleSince)
        {
            Spec = spec;
            _capacity = capacity;
            _ranks = spec.Queues.ToDictionary(q => q.QueueId, q => q.Rank);
            IdleSince = idleSince;
            Rebuild();
        }

        public AgentSpec Spec { get; }

        public Dictionary<string, int> InUse { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset IdleSince { get; set; }

        public AgentCandidate Candidate { get; private set; } = null!;

        public void Rebuild() => Candidate = new AgentCandidate(Spec.Id, available: true, Spec.Skills, _capacity, _ranks, IdleSince, InUse);
    }

    private sealed class Waiting(WaitingConversation conversation)
    {
        public WaitingConversation Conversation { get; } = conversation;

        public string? Holder { get; set; }

        public bool Connected { get; set; }
    }
}
