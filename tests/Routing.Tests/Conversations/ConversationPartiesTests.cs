using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains;
using Routing.Grains.Conversations;
using Routing.Ledger;

namespace Routing.Tests.Conversations;

/// <summary>
/// Who hears what of a conversation's written step, and in what order, without a silo (docs/conversations.md): the agent,
/// the queues (through a fake <see cref="IConversationCalls"/>) and the customers' silos (through a fake relay) write into
/// one log, so the order of the calls and the tells is what is checked. And the queue reports the conversation's place
/// exactly while a customer watches it, and only the queue it waits in (docs/realtime.md).
/// </summary>
public sealed class ConversationPartiesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    private readonly Parties _world = new();

    [Fact]
    public async Task AnAcceptIsToldToTheAgentThenToTheCustomersThenTheQueueCountsTheWait()
    {
        await _world.ConnectAsync("w1");
        var offered = Offered("ann");

        await _world.Under.ConnectedAsync(offered, "ann", "Ann", T0.AddSeconds(30));

        Assert.Equal(["ann: connected", "customers: Ann joined", "q1: connected after 30 s"], _world.Log);
    }

    [Fact]
    public async Task BackInLineTheAgentHearsFirstThenTheLineThenAWatchingCustomerItsPlace()
    {
        await _world.ConnectAsync("w1"); // while offered: no queue reports its place yet
        var offered = Offered("ann");
        var back = ConversationLifecycle.ReturnToLine(offered, "offer-timed-out", "ann", "timed-out", T0.AddSeconds(20)).Next;

        await _world.Under.BackInLineAsync(offered, back, "timed-out");

        Assert.Equal(["ann: offer ended, timed-out", "q1: entered", "q1: watched", "customers: 2 ahead"], _world.Log);
    }

    [Fact]
    public async Task AnAgentThatAlreadyKnowsItsOfferEndedIsNotToldAgainAndNobodyWatchingHearsNothing()
    {
        var offered = Offered("ann");
        var back = ConversationLifecycle.ReturnToLine(offered, "offer-withdrawn", null, "withdrawn", T0.AddSeconds(20)).Next;

        await _world.Under.BackInLineAsync(offered, back, release: null);

        Assert.Equal(["q1: entered"], _world.Log);
    }

    [Fact]
    public async Task AnOfferedConversationMovedIsWithdrawnFromItsAgentAfterItsLineLetsGoAndTheNewQueueReportsItsPlace()
    {
        await _world.ConnectAsync("w1");
        var offered = Offered("ann");
        var moved = ConversationLifecycle.MoveToQueue(offered, "q2", T0.AddSeconds(20)).Next;

        var position = await _world.Under.MovedAsync(offered, moved);

        Assert.Equal(new QueuePosition(2, null, null), position);
        Assert.Equal(
            ["q1: removed", "ann: offer ended, withdrawn", "q2: entered", "q1: not watched", "q2: watched", "customers: 2 ahead"],
            _world.Log
        );
    }

    [Fact]
    public async Task AnAbandonedOfferIsWithdrawnAfterTheLineLetsGoThenTheCustomersHearThenTheQueueCountsTheWait()
    {
        await _world.ConnectAsync("w1");

        await _world.Under.AbandonedAsync(Offered("ann"), T0.AddSeconds(40));

        Assert.Equal(["q1: removed", "ann: offer ended, withdrawn", "customers: Abandoned", "q1: abandoned after 40 s"], _world.Log);
    }

    [Fact]
    public async Task ACompletionFreesTheAgentThenTellsTheCustomersThenTheQueueCountsTheTalk()
    {
        await _world.ConnectAsync("w1");
        var connected = ConversationLifecycle.Accept(Offered("ann"), "ann", T0.AddSeconds(10)).Next;
        var completed = ConversationLifecycle.Complete(connected, "ann", "sold", 0, T0.AddSeconds(70)).Next;

        await _world.Under.CompletedAsync(completed, T0.AddSeconds(70));

        Assert.Equal(["ann: released, Completed sold", "customers: Completed", "q1: completed after 60 s"], _world.Log);
    }

    [Fact]
    public async Task AMessageReachesTheAgentOnlyWhileItHoldsTheConversation()
    {
        await _world.ConnectAsync("w1");
        var offered = Offered("ann");
        var message = new TranscriptMessage(2, T0, "customer", null, "hello");

        _world.Under.MessageAdded(offered, message);
        _world.Under.MessageAdded(ConversationLifecycle.Accept(offered, "ann", T0).Next, message);

        Assert.Equal(["customers: message 2", "customers: message 2", "ann: message 2"], _world.Log);
    }

    [Fact]
    public async Task TheFirstCustomerOfAWaitingConversationHasItsQueueReportItsPlaceAndTheLastToLeaveStopsIt()
    {
        var queued = Queued();

        await _world.Under.CustomerConnectedAsync("w1", _world.Relay, queued);
        await _world.Under.CustomerConnectedAsync("w2", _world.Relay, queued);
        Assert.False(await _world.Under.CustomerLeftAsync("w1", queued));
        Assert.False(await _world.Under.CustomerLeftAsync("w9", queued));
        Assert.True(await _world.Under.CustomerLeftAsync("w2", queued));

        Assert.Equal(["q1: watched", "q1: not watched"], _world.Log);
        Assert.False(_world.Under.Watched);
    }

    [Fact]
    public async Task ACustomerOfAConversationNotWaitingHasNoQueueReportItsPlace()
    {
        var connected = ConversationLifecycle.Accept(Offered("ann"), "ann", T0).Next;

        await _world.Under.CustomerConnectedAsync("w1", _world.Relay, connected);
        _world.Under.PositionChanged(connected, new QueuePosition(0, null, null)); // a late report from its old line

        Assert.Empty(_world.Log);
        Assert.True(_world.Under.Watched);
    }

    [Fact]
    public async Task ConnectionsAFreshActivationDidNotKnowHearWhereItStandsAndItsQueueReportsItsPlaceAgain()
    {
        _world.Positions["q1"] = new QueuePosition(4, 60, null);

        await _world.Under.CustomersRenewedAsync(["w1", "w2"], _world.Relay, Queued());
        await _world.Under.CustomersRenewedAsync(["w1", "w2"], _world.Relay, Queued()); // known now: nothing to retell

        Assert.Equal(["q1: position asked", "q1: watched", "customers: 4 ahead"], _world.Log);
    }

    [Fact]
    public async Task OnActivationAConversationItsQueueLetGoOfGoesBackInItsPlaceAndOneStillHeldStays()
    {
        await _world.Under.KeepInLineAsync(Queued());
        _world.Positions["q1"] = new QueuePosition(0, null, null);
        await _world.Under.KeepInLineAsync(Queued());

        Assert.Equal(["q1: position asked", "q1: entered", "q1: position asked"], _world.Log);
    }

    [Fact]
    public async Task ASnapshotNamesTheAgentOnlyWhileOneHoldsOrHeldItAndAsksItsNameOnce()
    {
        var offered = Offered("ann");
        var connected = ConversationLifecycle.Accept(offered, "ann", T0.AddSeconds(5)).Next;
        _world.Names["ann"] = "Ann";

        Assert.Null((await _world.Under.SnapshotAsync(offered, [])).AgentName);
        Assert.Equal("Ann", (await _world.Under.SnapshotAsync(connected, [])).AgentName);
        Assert.Equal("Ann", (await _world.Under.SnapshotAsync(connected, [])).AgentName);
        await _world.Under.TransferredAsync("ann", ConversationState.Offered); // the name goes with the agent
        Assert.Null((await _world.Under.SnapshotAsync(offered, [])).AgentName);
        Assert.Equal("Ann", (await _world.Under.SnapshotAsync(connected, [])).AgentName);

        Assert.Equal(["ann: name asked", "ann: released, Offered transferred", "ann: name asked"], _world.Log);
    }

    [Fact]
    public async Task ASnapshotAfterAnAcceptKnowsTheAgentsNameAndTheCustomersPlaceWhileWaiting()
    {
        var offered = Offered("ann");
        var connected = ConversationLifecycle.Accept(offered, "ann", T0.AddSeconds(5)).Next;
        _world.Positions["q1"] = new QueuePosition(1, 30, null);

        var waiting = await _world.Under.SnapshotAsync(Queued(), []);
        await _world.Under.ConnectedAsync(offered, "ann", "Ann", T0.AddSeconds(5));
        var talking = await _world.Under.SnapshotAsync(connected, []);

        Assert.Equal(new QueuePosition(1, 30, null), waiting.Position);
        Assert.Null(waiting.AgentName);
        Assert.Null(talking.Position);
        Assert.Equal("Ann", talking.AgentName);
        Assert.DoesNotContain("ann: name asked", _world.Log);
    }

    /// <summary>
    /// Whatever customers connect, leave and are renewed, and wherever the waiting conversation is moved meanwhile, the queue
    /// it waits in reports its place exactly while a customer watches, and no other queue does.
    /// </summary>
    [Fact]
    public Task OnlyTheQueueTheConversationWaitsInReportsItsPlaceAndOnlyWhileACustomerWatches() =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 2])
            .Array[1, 40]
            .SampleAsync(
                async steps =>
                {
                    var world = new Parties();
                    var record = Queued();
                    foreach (var (op, connection, queue) in steps)
                    {
                        var id = $"w{connection}";
                        switch (op)
                        {
                            case 0:
                                await world.Under.CustomerConnectedAsync(id, world.Relay, record);
                                break;
                            case 1:
                                await world.Under.CustomerLeftAsync(id, record);
                                break;
                            case 2:
                                await world.Under.CustomersRenewedAsync([id], world.Relay, record);
                                break;
                            default:
                                var moved = ConversationLifecycle.MoveToQueue(record, $"q{queue + 1}", T0).Next;
                                await world.Under.MovedAsync(record, moved);
                                record = moved;
                                break;
                        }
                        string[] expected = world.Under.Watched ? [record.QueueId] : [];
                        Assert.Equal(expected, world.Watched);
                    }
                },
                iter: 300
            );

    private static ConversationRecord Queued() =>
        ConversationLifecycle
            .Create(
                "c1",
                new StartConversation("chat", "q1", new Customer("k1", "Kim", "standard"), 10, [], new Dictionary<string, string>(), null),
                1,
                T0
            )
            .Next;

    private static ConversationRecord Offered(string agentId) =>
        ConversationLifecycle.Offer(Queued(), agentId, T0.AddSeconds(25), "q1", null, T0.AddSeconds(10)).Next;

    /// <summary>The parties under test, with the agents, queues and customers' silos as a log of what they heard.</summary>
    private sealed class Parties : IConversationCalls, IRealtimeRelay
    {
        private readonly FakeTimeProvider _time = new(T0);

        public Parties()
        {
            var customers = new ConversationCustomers("c1", new RoutingClock(_time), TimeSpan.FromMinutes(1), NullLogger.Instance);
            Under = new ConversationParties("c1", this, customers);
        }

        public ConversationParties Under { get; }

        public IRealtimeRelay Relay => this;

        public List<string> Log { get; } = [];

        /// <summary>The queues asked to report the conversation's place.</summary>
        public HashSet<string> Watched { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, QueuePosition> Positions { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);

        /// <summary>A customer connects while the conversation is offered: no queue reports its place.</summary>
        public Task ConnectAsync(string connectionId) => Under.CustomerConnectedAsync(connectionId, this, Offered("ann"));

        public Task<SlotReservation> ReserveAsync(
            string agentId,
            ConversationRecord record,
            string viaQueueId,
            DateTimeOffset expiresAt,
            bool direct
        ) => throw new NotSupportedException();

        public Task<AgentView?> ConfirmAsync(string agentId, ConversationRecord record) => throw new NotSupportedException();

        public Task TellConnectedAsync(string agentId, ConversationRecord record) => Heard($"{agentId}: connected");

        public Task BeginWrapUpAsync(string agentId) => Heard($"{agentId}: wrap-up");

        public Task ReleaseAsync(string agentId, ConversationState state, string? reason) =>
            Heard($"{agentId}: released, {state} {reason}");

        public Task ReleaseOfferAsync(string agentId, string answer) => Heard($"{agentId}: offer ended, {answer}");

        public Task ReleaseOfferQuietlyAsync(string agentId, string answer) => ReleaseOfferAsync(agentId, answer);

        public void Notify(string agentId, AgentNotification notification) =>
            Log.Add($"{agentId}: {(notification is AgentMessageArrived m ? $"message {m.Message.Sequence}" : notification)}");

        public Task<string?> AgentNameAsync(string agentId)
        {
            Log.Add($"{agentId}: name asked");
            return Task.FromResult(Names.GetValueOrDefault(agentId));
        }

        public Task<QueuePosition> EnqueueAsync(ConversationRecord record, bool isArrival)
        {
            Log.Add($"{record.QueueId}: entered");
            return Task.FromResult(new QueuePosition(2, null, null));
        }

        public Task RemoveAsync(string queueId) => Heard($"{queueId}: removed");

        public Task<QueuePosition?> PositionAsync(string queueId)
        {
            Log.Add($"{queueId}: position asked");
            return Task.FromResult(Positions.GetValueOrDefault(queueId));
        }

        public Task RequireQueueAsync(string queueId) => Task.CompletedTask;

        public Task<QueueDefinition?> QueueDefinitionAsync(string queueId) => Task.FromResult<QueueDefinition?>(null);

        public Task WatchAsync(string queueId, bool watching)
        {
            _ = watching ? Watched.Add(queueId) : Watched.Remove(queueId);
            return Heard($"{queueId}: {(watching ? "watched" : "not watched")}");
        }

        public Task RecordConnectedAsync(string queueId, TimeSpan waited) => Heard($"{queueId}: connected after {waited.TotalSeconds} s");

        public Task RecordCompletedAsync(string queueId, TimeSpan handled) => Heard($"{queueId}: completed after {handled.TotalSeconds} s");

        public Task RecordAbandonedAsync(string queueId, TimeSpan waited) => Heard($"{queueId}: abandoned after {waited.TotalSeconds} s");

        public Task ToAgentAsync(string agentKey, AgentNotification notification) => throw new NotSupportedException();

        public Task ToCustomersAsync(string conversationKey, CustomerNotification notification) =>
            Heard(
                "customers: "
                    + notification switch
                    {
                        PositionNotice p => $"{p.Position.Position} ahead",
                        AgentJoinedNotice { AgentName: { } name } => $"{name} joined",
                        AgentJoinedNotice => "nobody joined",
                        ConversationEndedNotice e => e.State.ToString(),
                        CustomerMessageArrived m => $"message {m.Message.Sequence}",
                        _ => notification.ToString(),
                    }
            );

        public Task ToMonitorsAsync(string conversationKey, MonitorNotification notification) => Heard($"monitors: {notification}");

        private Task Heard(string what)
        {
            Log.Add(what);
            return Task.CompletedTask;
        }
    }
}
