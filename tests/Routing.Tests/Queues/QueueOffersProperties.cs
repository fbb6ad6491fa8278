using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Routing.Contracts;
using Routing.Grains;
using Routing.Grains.Queues;
using Routing.Policy;

namespace Routing.Tests.Queues;

/// <summary>
/// A queue's matching and offers without a silo (docs/routing.md, rules 5 and 6): whatever arrives, leaves, is reported
/// and answered in whatever order, the queue never has two offers of one conversation out at once, never offers a slot
/// an agent's last report and the offers already out do not leave free, keeps in line exactly the conversations not yet
/// offered or gone, and — as long as no attempt fails outright — never leaves a conversation waiting beside an agent
/// with room for it.
/// </summary>
public sealed class QueueOffersProperties
{
    private static readonly string[] Channels = ["chat", "email"];
    private static readonly DateTimeOffset T0 = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    private enum Op
    {
        Arrive,
        Report,
        Answer,
        Remove,
        Tick,
    }

    private static readonly Gen<(Op Op, int A, int B, int C)> Step = Gen.Select(
        Gen.Enum<Op>(),
        Gen.Int[0, 3],
        Gen.Int[0, 2],
        Gen.Int[0, 3]
    );

    [Fact]
    public void NothingIsOfferedTwiceOrBeyondRoomAndNoAgentWithRoomIdlesBesideTheLine() =>
        Gen.Select(Step.Array[1, 150], Gen.OneOfConst(SelectionMethods.Names.ToArray()), Gen.Bool)
            .Sample(
                (steps, selection, failures) =>
                {
                    var world = new World(selection);
                    foreach (var (op, a, b, c) in steps)
                    {
                        world.Do(op, a, b, c, failures);
                        world.Check(noIdleAgent: !failures);
                    }
                },
                iter: 300
            );

    /// <summary>The queue under test, and the agents and offers as the rest of the cluster would see them.</summary>
    private sealed class World : IMatchingCalls
    {
        private readonly FakeTimeProvider _time = new(T0);
        private readonly QueueMatching _matching = new("q", NullLogger.Instance);
        private readonly QueueFigures _figures = new(new RoutingOptions());
        private readonly QueueOffers _offers;
        private readonly Dictionary<string, AgentAvailability> _agents = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _channels = new(StringComparer.Ordinal); // conversation → channel
        private readonly List<(string Conversation, string Agent, Action<OfferAttempt?> Answered)> _out = [];
        private readonly HashSet<string> _inLine = new(StringComparer.Ordinal);
        private DateTimeOffset? _wakeAt;
        private int _arrivals;
        private int _offered;
        private long _version;

        public World(string selection)
        {
            _offers = new QueueOffers(_matching, _figures, this, new RoutingClock(_time));
            _matching.Define(
                new QueueDefinition("q", ServiceLevelGoal.Default, selection, 0, new Dictionary<string, int>(), 15, null, null)
            );
            _offers.MatchEverything();
        }

        public void Do(Op op, int a, int b, int c, bool failures)
        {
            switch (op)
            {
                case Op.Arrive:
                    var id = $"c{_arrivals++}";
                    _channels[id] = Channels[a % Channels.Length];
                    _inLine.Add(id);
                    _offers.Enter(new QueueTicket(id, "q", _channels[id], b * 10, _time.GetUtcNow(), _arrivals, [], []), isArrival: true);
                    break;
                case Op.Report:
                    var report = new AgentAvailability(
                        $"a{a}",
                        ++_version,
                        b == 0 ? AgentStatus.Away : AgentStatus.Available,
                        new Dictionary<string, int>(),
                        new Dictionary<string, int> { ["chat"] = c % 3, ["email"] = (b + c) % 2 },
                        c == 3 ? 1 : null,
                        new Dictionary<string, int> { ["q"] = 1 },
                        new Dictionary<string, int>(),
                        T0.AddSeconds(-a)
                    );
                    _agents[report.AgentId] = report;
                    _offers.AgentChanged(report);
                    break;
                case Op.Answer when _out.Count > 0:
                    var (conversation, _, answered) = _out[(a * 7 + b) % _out.Count];
                    _out.RemoveAll(o => o.Conversation == conversation);
                    var outcome = failures ? c : c % 3;
                    if (outcome <= 1 && _inLine.Remove(conversation))
                    {
                        _offered += outcome == 0 ? 1 : 0;
                    }
                    answered(outcome == 3 ? null : new OfferAttempt((OfferOutcome)outcome, null));
                    break;
                case Op.Remove when _inLine.Count > 0:
                    var gone = _inLine.ElementAt((a * 3 + c) % _inLine.Count);
                    _inLine.Remove(gone);
                    _offers.Remove(gone);
                    break;
                case Op.Tick:
                    _time.Advance(TimeSpan.FromSeconds(b));
                    if (_wakeAt <= _time.GetUtcNow())
                    {
                        _wakeAt = null;
                        _offers.Tick();
                    }
                    break;
            }
        }

        public void Check(bool noIdleAgent)
        {
            Assert.Equal(_inLine.Order(), _matching.Line.Entries.Select(e => e.Id).Order());
            foreach (var entry in _matching.Line.Entries)
            {
                Assert.Equal(entry.Offering, _out.Any(o => o.Conversation == entry.Id));
                if (noIdleAgent && !entry.Offering)
                {
                    var idle = _agents.Keys.FirstOrDefault(agent => HasRoom(agent, _channels[entry.Id], extra: 1));
                    Assert.True(idle is null, $"{entry.Id} waits on {_channels[entry.Id]} while {idle} has room for it");
                }
            }
            Assert.Equal(_offered, _figures.Of("q", _matching.Line, _matching.Agents, _time.GetUtcNow()).Offered);
        }

        public void Offer(string conversationId, string agentId, int timeoutSeconds, Action<OfferAttempt?> answered)
        {
            Assert.DoesNotContain(_out, o => o.Conversation == conversationId);
            Assert.True(HasRoom(agentId, _channels[conversationId], extra: 1), $"{conversationId} offered to {agentId} without room");
            Assert.Equal(15, timeoutSeconds);
            _out.Add((conversationId, agentId, answered));
        }

        public void Overflow(QueueTicket ticket, string overflowQueueId, Action failed) =>
            Assert.Fail("A queue without an overflow rule overflowed.");

        public void Release(string otherQueueId, string conversationId) =>
            Assert.Fail("A queue without an overflow rule released a conversation elsewhere.");

        public void WakeAt(DateTimeOffset at) => _wakeAt = at;

        /// <summary>Whether the agent's last report, less the offers out to it, leaves room for <paramref name="extra"/> more.</summary>
        private bool HasRoom(string agentId, string channel, int extra)
        {
            if (!_agents.TryGetValue(agentId, out var report) || report.Status != AgentStatus.Available)
            {
                return false;
            }
            var toAgent = _out.Where(o => o.Agent == agentId).ToList();
            return toAgent.Count(o => _channels[o.Conversation] == channel) + extra <= report.Capacity[channel]
                && (report.MaxTotal is not { } max || toAgent.Count + extra <= max);
        }
    }
}
