using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Routing;

/// <summary>docs/conversations.md: wrap-up, transfers, abandonment and rating.</summary>
[Collection(RoutingClusterCollection.Name)]
public sealed class LifecycleTests(RoutingClusterFixture cluster)
{
    [Fact]
    public async Task WrapUpHoldsTheSlotForTheQueuesWrapUpTimeThenTheAgentGetsTheNextConversation()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", wrapUpSeconds: 30);
        await s.DefineAgent("ann", ["q"], chat: 1);
        await s.Available("ann");
        var first = await s.Start("q");
        await s.Connect(first, "ann");
        await s.Conversation(first).CompleteAsync("ann", "resolved");
        var second = await s.Start("q");

        s.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(ConversationState.WrapUp, (await s.Conversation(first).GetAsync()).State);
        Assert.Equal(ConversationState.Queued, (await s.Conversation(second).GetAsync()).State);
        Assert.Single((await s.Agent("ann").GetAsync())!.Assignments, a => a.State == ConversationState.WrapUp);

        s.Advance(TimeSpan.FromSeconds(1));

        await s.Reached(first, ConversationState.Completed);
        Assert.Equal("ann", await s.Offered(second));
        var done = await s.Conversation(first).GetAsync();
        Assert.Equal("resolved", done.Disposition);
        Assert.Equal(
            [
                ConversationState.Created,
                ConversationState.Queued,
                ConversationState.Offered,
                ConversationState.Connected,
                ConversationState.WrapUp,
                ConversationState.Completed,
            ],
            done.Timeline.Select(t => t.State)
        );
    }

    [Fact]
    public async Task AnEndedConversationLeavesMemoryAndIsReadBackWholeFromTheLedger()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", wrapUpSeconds: 0);
        await s.DefineAgent("ann", ["q"], chat: 1);
        await s.Available("ann");
        var id = await s.Start("q");
        await s.Connect(id, "ann");
        var grain = s.Conversation(id).GetGrainId();
        Assert.Contains(grain, await cluster.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(grain.Type));

        await s.Conversation(id).CompleteAsync("ann", "resolved");

        await s.Deactivated(s.Conversation(id)); // the ended conversation left memory by itself
        var read = await s.Conversation(id).GetAsync();
        Assert.Equal((ConversationState.Completed, "resolved"), (read.State, read.Disposition));
        Assert.Equal(6, read.Timeline.Count);
        Assert.Equal(4, (await s.Conversation(id).RateAsync(4, null)).Rating);
    }

    [Fact]
    public async Task TransferToAQueueKeepsTheOriginalCreationTimeForWaitAccounting()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("sales");
        await s.DefineQueue("billing");
        await s.DefineAgent("ann", ["sales"]);
        await s.DefineAgent("bob", ["billing"], chat: 1);
        await s.Available("ann");
        var transferred = await s.Start("sales");
        var createdAt = s.Now;
        await s.Connect(transferred, "ann");
        s.Advance(TimeSpan.FromSeconds(60));
        var waitingInBilling = await s.Start("billing"); // arrived 60 s after the transferred one was created

        var view = await s.Conversation(transferred).TransferToQueueAsync("ann", "billing");

        Assert.Equal(ConversationState.Queued, view.State);
        Assert.Equal("billing", view.QueueId);
        Assert.Equal(createdAt, view.CreatedAt);
        Assert.Equal(0, view.Position!.Position); // ahead of the one that arrived later
        Assert.Equal(1, (await s.Queue("billing").GetPositionAsync(waitingInBilling))!.Position);
        Assert.Equal(60, (await s.Queue("billing").GetStatsAsync()).LongestWaitSeconds, precision: 3);
        Assert.Empty((await s.Agent("ann").GetAsync())!.Assignments);
        await s.Available("bob");
        Assert.Equal(transferred, await s.NextOfferTo("bob"));
    }

    [Fact]
    public async Task TransferToAnAgentOffersItToThatAgentOnly()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineAgent("ann", ["q"], chat: 1);
        await s.DefineAgent("bob", ["q"], chat: 1);
        await s.DefineAgent("cat", ["q"], chat: 1);
        await s.Available("ann");
        var id = await s.Start("q");
        await s.Connect(id, "ann");
        await s.Available("cat");
        await s.Available("bob");

        await s.Conversation(id).TransferToAgentAsync("ann", "bob");

        Assert.Equal("bob", await s.Offered(id, "bob"));
        var view = await s.Conversation(id).GetAsync();
        Assert.Equal(ConversationState.Offered, view.State);
        Assert.DoesNotContain(s.Offers(), o => o.Agent == "cat");
        var stranger = await Assert.ThrowsAsync<RoutingException>(() => s.Conversation(id).AcceptAsync("cat"));
        Assert.Equal("offer-not-held", stranger.Code);
        await s.Conversation(id).AcceptAsync("bob");
        Assert.Empty((await s.Agent("ann").GetAsync())!.Assignments);
    }

    [Fact]
    public async Task TransferToAnAgentWhoCannotTakeItIsRefusedAndChangesNothing()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineAgent("ann", ["q"], chat: 1);
        await s.DefineAgent("bob", ["q"], chat: 1); // offline
        await s.Available("ann");
        var id = await s.Start("q");
        await s.Connect(id, "ann");

        var refused = await Assert.ThrowsAsync<RoutingException>(() => s.Conversation(id).TransferToAgentAsync("ann", "bob"));

        Assert.Equal("agent-unavailable", refused.Code);
        Assert.Equal("toAgentId", refused.Field);
        var view = await s.Conversation(id).GetAsync();
        Assert.Equal(ConversationState.Connected, view.State);
        Assert.Equal("ann", view.AgentId);
    }

    [Fact]
    public async Task AbandonmentTakesTheConversationOutOfLineAndCountsIt()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        var leaving = await s.Start("q");
        var staying = await s.Start("q");

        var view = await s.Conversation(leaving).AbandonAsync();

        Assert.Equal(ConversationState.Abandoned, view.State);
        var stats = await s.Queue("q").GetStatsAsync();
        Assert.Equal(1, stats.Waiting);
        Assert.Equal(1, stats.Abandoned);
        Assert.Equal(0, (await s.Queue("q").GetPositionAsync(staying))!.Position);
        Assert.Null(await s.Queue("q").GetPositionAsync(leaving));
        var again = await Assert.ThrowsAsync<RoutingException>(() => s.Conversation(leaving).AbandonAsync());
        Assert.Equal("conversation-not-waiting", again.Code);
    }

    [Fact]
    public async Task AnOfferedConversationCanBeAbandonedAndFreesTheAgent()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineAgent("ann", ["q"], chat: 1);
        await s.Available("ann");
        var id = await s.Start("q");
        await s.Offered(id, "ann");

        await s.Conversation(id).AbandonAsync();

        var agent = (await s.Agent("ann").GetAsync())!;
        Assert.Empty(agent.Offers);
        var next = await s.Start("q");
        Assert.Equal("ann", await s.Offered(next));
    }

    [Fact]
    public async Task CompletingAgainAnswersAsTheFirstTimeForTheAgentWhoCompletedAndFreesNothingTwice()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineAgent("ann", ["q"], chat: 1);
        await s.DefineAgent("bob", ["q"], chat: 1);
        await s.Available("ann");
        var id = await s.Start("q");
        await s.Connect(id, "ann");
        await s.Conversation(id).CompleteAsync("ann", "resolved");

        // A retry whose first answer was lost gets the same answer; anyone else is refused.
        var again = await s.Conversation(id).CompleteAsync("ann", "resolved");
        var stranger = await Assert.ThrowsAsync<RoutingException>(() => s.Conversation(id).CompleteAsync("bob", null));

        Assert.Equal(ConversationState.Completed, again.State);
        Assert.Equal("not-connected", stranger.Code);
        Assert.Single(again.Timeline, t => t.State == ConversationState.Completed);
        Assert.Empty((await s.Agent("ann").GetAsync())!.Assignments);
    }

    [Fact]
    public async Task ACustomerRatesOnceAfterCompletion()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineAgent("ann", ["q"]);
        await s.Available("ann");
        var id = await s.Start("q");
        await s.Connect(id, "ann");
        var early = await Assert.ThrowsAsync<RoutingException>(() => s.Conversation(id).RateAsync(5, null));
        Assert.Equal("not-completed", early.Code);
        await s.Conversation(id).AddMessageAsync("customer", null, "my parcel is late");
        await s.Conversation(id).AddMessageAsync("agent", "ann", "it arrives tomorrow");
        await s.Conversation(id).CompleteAsync("ann", "resolved");

        var rated = await s.Conversation(id).RateAsync(4, null);

        Assert.Equal(4, rated.Rating);
        Assert.Equal(["customer", "agent"], rated.Transcript.Select(m => m.From));
        var twice = await Assert.ThrowsAsync<RoutingException>(() => s.Conversation(id).RateAsync(5, null));
        Assert.Equal("already-rated", twice.Code);
    }

    [Fact]
    public async Task AFullQueueRefusesNewArrivalsWithARetryableErrorAndChangesNothing()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", maxLength: 2);
        await s.Start("q");
        var second = await s.Start("q");

        var full = await Assert.ThrowsAsync<RoutingException>(() => s.Start("q"));

        Assert.Equal((RoutingErrorKind.Overloaded, "queue-full"), (full.Kind, full.Code));
        Assert.Equal(2, (await s.Queue("q").GetStatsAsync()).Waiting);
        await s.Conversation(second).AbandonAsync();
        await s.Start("q"); // room again
        Assert.Equal(2, (await s.Queue("q").GetStatsAsync()).Waiting);
    }

    [Fact]
    public async Task AfterTheOverflowWaitTheOverflowQueuesAgentsMayTakeItToo()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("general");
        await s.DefineQueue("vip-care", overflow: new OverflowRule("general", 20));
        await s.DefineAgent("ann", ["general"]);
        await s.Available("ann");
        var id = await s.Start("vip-care");
        Assert.Equal(ConversationState.Queued, (await s.Conversation(id).GetAsync()).State);

        s.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal("ann", await s.Offered(id));
        var view = await s.Conversation(id).AcceptAsync("ann");
        Assert.Equal("overflow", view.Timeline.Single(t => t.State == ConversationState.Offered).Reason);
        Assert.Equal("vip-care", view.QueueId);
        Assert.Equal(0, (await s.Queue("vip-care").GetStatsAsync()).Waiting);
    }
}
