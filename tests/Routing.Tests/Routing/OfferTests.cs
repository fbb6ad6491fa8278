using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Routing;

/// <summary>docs/routing.md, rule 5: offers, declines, timeouts and missed offers.</summary>
[Collection(RoutingClusterCollection.Name)]
public sealed class OfferTests(RoutingClusterFixture cluster)
{
    [Fact]
    public async Task OfferTimeoutReturnsTheConversationToItsPlaceInLineAndTheAgentIsNotOfferedItAgain()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", offerTimeoutSeconds: 10);
        await s.DefineAgent("ann", ["q"], chat: 1);
        await s.DefineAgent("bob", ["q"], chat: 1);
        var createdAt = s.Now;
        var older = await s.Start("q");
        s.Advance(TimeSpan.FromSeconds(1));
        var newer = await s.Start("q");
        await s.Available("ann");
        Assert.Equal(older, await s.NextOfferTo("ann"));

        s.Advance(TimeSpan.FromSeconds(10));

        await s.Reached(older, ConversationState.Queued, "offer-timed-out");
        Assert.Equal(newer, await s.NextOfferTo("ann", skip: 1)); // ann skips the one she missed
        // Asked of the conversation, which answers only once its timeout handling (back into line) is done.
        var view = await s.Conversation(older).GetAsync();
        Assert.Equal(0, view.Position!.Position); // first in line again
        Assert.Equal(createdAt, view.CreatedAt);
        Assert.Equal("timed-out", view.Offers.Single().Answer);

        await s.Available("bob");
        Assert.Equal(older, await s.NextOfferTo("bob"));
        Assert.Single(s.Offers(), o => o.Conversation == older && o.Agent == "ann");
    }

    [Fact]
    public async Task AnOfferIsOnRecordOnceReportedAndItsEndIsRecordedToo()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", offerTimeoutSeconds: 10);
        await s.DefineAgent("ann", ["q"], chat: 1);
        var id = await s.Start("q");
        await s.Available("ann");
        Assert.Equal(id, await s.NextOfferTo("ann"));

        // Reported as offered: the ledger has the offer, though nothing else happened to the conversation since.
        Assert.Equal(ConversationState.Offered, (await s.Conversation(id).GetAsync()).State);
        var stored = (await cluster.Ledger.GetConversationAsync(s.Workspace, id))!;
        Assert.Equal(ConversationState.Offered, stored.State);
        Assert.Equal(("ann", "q"), (stored.Timeline[^1].AgentId, stored.Timeline[^1].QueueId));
        Assert.Equal(
            [ConversationState.Created, ConversationState.Queued, ConversationState.Offered],
            stored.Timeline.Select(t => t.State)
        );
        Assert.Equal(("ann", "pending"), (stored.Offers.Single().AgentId, stored.Offers.Single().Answer));

        s.Advance(TimeSpan.FromSeconds(10));
        await s.Reached(id, ConversationState.Queued, "offer-timed-out");
        stored = (await cluster.Ledger.GetConversationAsync(s.Workspace, id))!;
        Assert.Equal(
            [ConversationState.Created, ConversationState.Queued, ConversationState.Offered, ConversationState.Queued],
            stored.Timeline.Select(t => t.State)
        );
        Assert.Equal("timed-out", stored.Offers.Single().Answer);
    }

    [Fact]
    public async Task AnAgentActivatedAfreshKeepsTheSlotOfAnOfferItsConversationStillStandsBy()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", offerTimeoutSeconds: 60);
        await s.DefineAgent("ann", ["q"], chat: 1);
        await s.Available("ann");
        var first = await s.Start("q");
        Assert.Equal("ann", await s.Offered(first));

        // ann's activation goes (its silo died, say) while the conversation, elsewhere, still waits for her answer.
        await s.Agent("ann").Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await s.Deactivated(s.Agent("ann"));

        // The new activation rebuilds the offer from the ledger: her one slot stays taken, and the offer can be accepted.
        Assert.Equal([first], (await s.Agent("ann").GetAsync())!.Offers.Select(o => o.ConversationId));
        var second = await s.Start("q");
        Assert.Equal(ConversationState.Connected, (await s.Conversation(first).AcceptAsync("ann")).State);
        Assert.Equal(ConversationState.Queued, (await s.Conversation(second).GetAsync()).State);
    }

    [Fact]
    public async Task TwoMissedOffersInARowSetTheAgentAway()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", offerTimeoutSeconds: 10);
        await s.DefineAgent("ann", ["q"], chat: 1);
        var first = await s.Start("q");
        var second = await s.Start("q");
        await s.Available("ann");
        await s.NextOfferTo("ann");
        s.Advance(TimeSpan.FromSeconds(10));
        await s.NextOfferTo("ann", skip: 1);
        Assert.Equal(AgentStatus.Available, (await s.Agent("ann").GetAsync())!.Status);

        s.Advance(TimeSpan.FromSeconds(10));

        var away = await cluster.Events.WaitAsync<AgentStatusChanged>(s.Workspace, e => e.AgentId == "ann" && e.Status == AgentStatus.Away);
        Assert.Equal("missed-offers", away.Reason);
        var agent = (await s.Agent("ann").GetAsync())!;
        Assert.Equal(2, agent.MissedOffersInRow);
        Assert.Empty(agent.Offers);
        // Each conversation answers only once its own timeout handling (back into line) is done.
        Assert.All(
            [await s.Conversation(first).GetAsync(), await s.Conversation(second).GetAsync()],
            v => Assert.Equal(ConversationState.Queued, v.State)
        );
        Assert.Equal(2, (await s.Queue("q").GetStatsAsync()).Waiting);
    }

    [Fact]
    public async Task ADeclineKeepsThePlaceInLineAndExcludesTheAgent()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineAgent("ann", ["q"], chat: 1);
        await s.DefineAgent("bob", ["q"], chat: 1);
        var id = await s.Start("q");
        await s.Available("ann");
        await s.Offered(id, "ann");

        await s.Conversation(id).DeclineAsync("ann");

        Assert.Equal(0, (await s.Conversation(id).GetAsync()).Position!.Position);
        await s.Available("bob");
        Assert.Equal(id, await s.NextOfferTo("bob"));
        Assert.Single(s.Offers(), o => o.Agent == "ann");
        Assert.Equal(0, (await s.Agent("ann").GetAsync())!.MissedOffersInRow);
    }

    [Fact]
    public async Task OnlyTheAgentHoldingTheOfferCanAcceptItAndASecondAcceptIsRefused()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q");
        await s.DefineAgent("ann", ["q"], chat: 1);
        await s.DefineAgent("bob", ["q"], chat: 1);
        await s.Available("ann");
        var id = await s.Start("q");
        await s.Offered(id, "ann");

        var stranger = await Assert.ThrowsAsync<RoutingException>(() => s.Conversation(id).AcceptAsync("bob"));
        Assert.Equal("offer-not-held", stranger.Code);
        await s.Conversation(id).AcceptAsync("ann");
        var second = await Assert.ThrowsAsync<RoutingException>(() => s.Conversation(id).AcceptAsync("ann"));
        Assert.Equal("offer-not-held", second.Code);
        Assert.Equal(ConversationState.Connected, (await s.Conversation(id).GetAsync()).State);
    }
}
