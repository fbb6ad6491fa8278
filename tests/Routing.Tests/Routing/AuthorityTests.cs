using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Routing;

/// <summary>
/// The authorities behind the invariants: the agent grain refuses what a queue's mirror wrongly thought
/// possible, and the conversation grain refuses a second offer while one is out.
/// </summary>
[Collection(RoutingClusterCollection.Name)]
public sealed class AuthorityTests(RoutingClusterFixture cluster)
{
    private ReserveSlot Slot(Scenario s, string conversationId, string channel = "chat", string queueId = "q") =>
        new(conversationId, channel, queueId, s.Now.AddSeconds(15));

    [Fact]
    public async Task AnAgentRefusesAReservationBeyondItsChannelCapacityOrItsTotal()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineAgent("ann", ["q"], chat: 1, maxTotal: 2, email: 5);
        await s.Available("ann");
        var ann = s.Agent("ann");

        Assert.True((await ann.ReserveAsync(Slot(s, "c1"))).Reserved);
        var chatFull = await ann.ReserveAsync(Slot(s, "c2"));
        Assert.False(chatFull.Reserved);
        Assert.Equal("no-room", chatFull.Reason);
        Assert.True((await ann.ReserveAsync(Slot(s, "e1", "email"))).Reserved);
        var totalFull = await ann.ReserveAsync(Slot(s, "e2", "email"));
        Assert.False(totalFull.Reserved);
        Assert.Equal(new Dictionary<string, int> { ["chat"] = 1, ["email"] = 1 }, totalFull.Agent.InUse);

        await ann.ReleaseOfferAsync("c1", "declined");

        Assert.True((await ann.ReserveAsync(Slot(s, "c2"))).Reserved);
    }

    [Fact]
    public async Task AnAgentRefusesWhenNotAvailableOrNotServingTheQueue()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineQueue("other");
        await s.DefineAgent("ann", ["q"]);

        Assert.Equal("not-available", (await s.Agent("ann").ReserveAsync(Slot(s, "c1"))).Reason);
        await s.Available("ann");
        Assert.Equal("does-not-serve-queue", (await s.Agent("ann").ReserveAsync(Slot(s, "c1", queueId: "other"))).Reason);
        Assert.True((await s.Agent("ann").ReserveDirectAsync(Slot(s, "c1", queueId: "other"))).Reserved);
    }

    [Fact]
    public async Task QueuesRacingForTheSameAgentsNeverOverbookThem()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("left");
        await s.DefineQueue("right");
        const int agents = 20;
        for (var i = 0; i < agents; i++)
        {
            await s.DefineAgent($"a{i:00}", ["left", "right"], chat: 1, email: 0);
            await s.Available($"a{i:00}");
        }

        // Both queues believe every agent has its one slot free; they offer at the same moment.
        var ids = await Task.WhenAll(Enumerable.Range(0, 2 * agents).Select(i => s.Start(i % 2 == 0 ? "left" : "right")));
        var offered = 0;
        await cluster.Events.WaitAsync<ConversationStateChanged>(
            s.Workspace,
            e => e.State == ConversationState.Offered && ++offered == agents
        );

        var states = await Task.WhenAll(ids.Select(async id => (await s.Conversation(id).GetAsync()).State));
        Assert.Equal(agents, states.Count(x => x == ConversationState.Offered));
        Assert.Equal(agents, states.Count(x => x == ConversationState.Queued));
        for (var i = 0; i < agents; i++)
        {
            Assert.Single((await s.Agent($"a{i:00}").GetAsync())!.Offers);
        }
    }

    [Fact]
    public async Task AConversationAlreadyOfferedRefusesASecondOfferAndReservesNothing()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineAgent("ann", ["q"]);
        await s.DefineAgent("bob", ["q"]);
        var id = await s.Start("q");
        await s.Available("ann");
        await s.Offered(id, "ann");
        await s.Available("bob");

        // A second queue (an overflow) or a stale line asking again gets "not waiting".
        var second = await s.Conversation(id).OfferToAsync("bob", "q", 15);

        Assert.Equal(OfferOutcome.NotWaiting, second.Outcome);
        Assert.Empty((await s.Agent("bob").GetAsync())!.Offers);
        Assert.Equal("ann", (await s.Conversation(id).GetAsync()).AgentId);
    }

    [Fact]
    public async Task AnAcceptTheConversationNeverWroteIsCheckedWithItAfterAGraceAndItsSlotFreed()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineQueue("elsewhere");
        await s.DefineAgent("ann", ["q"], chat: 1);
        var lost = await s.Start("elsewhere");
        await s.Available("ann");
        // The agent's grain took an accept of `lost`, then the conversation's silo died before writing it: here the
        // conversation is simply never told, and stays waiting without the agent.
        Assert.NotNull(await s.Agent("ann").ConfirmAsync(lost, "chat", "elsewhere"));
        var next = await s.Start("q");
        Assert.Empty((await s.Agent("ann").GetAsync())!.Assignments); // held, but not shown before it is written
        Assert.Equal(ConversationState.Queued, (await s.Conversation(next).GetAsync()).State); // ann has no room

        s.Advance(TimeSpan.FromSeconds(6)); // past the grace: ann asks `lost`, which does not hold her

        Assert.Equal(next, await s.NextOfferTo("ann"));
        Assert.Equal(next, Assert.Single((await s.Agent("ann").GetAsync())!.Offers).ConversationId);
        Assert.Empty((await s.Agent("ann").GetAsync())!.Assignments);
        Assert.Equal(ConversationState.Queued, (await s.Conversation(lost).GetAsync()).State);
    }

    [Fact]
    public async Task AnAcceptTheConversationWroteIsKeptWhenTheGraceRunsOut()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineAgent("ann", ["q"], chat: 2);
        await s.Available("ann");
        var id = await s.Start("q");
        await s.Connect(id, "ann");

        s.Advance(TimeSpan.FromSeconds(6));
        var next = await s.Start("q");

        Assert.Equal(next, await s.NextOfferTo("ann", skip: 1));
        var ann = (await s.Agent("ann").GetAsync())!;
        Assert.Equal(id, Assert.Single(ann.Assignments).ConversationId);
        Assert.Equal(ConversationState.Connected, (await s.Conversation(id).GetAsync()).State);
    }
}
