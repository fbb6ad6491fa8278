using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Routing;

/// <summary>docs/routing.md, rule 3: which conversation an agent gets first.</summary>
[Collection(RoutingClusterCollection.Name)]
public sealed class PriorityTests(RoutingClusterFixture cluster)
{
    [Fact]
    public async Task VipConversationIsOfferedBeforeOlderStandardOne()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("sales");
        await s.DefineAgent("ann", ["sales"], chat: 1);
        var standard = await s.Start("sales", tier: "standard");
        s.Advance(TimeSpan.FromSeconds(5));
        var vip = await s.Start("sales", tier: "vip");

        await s.Available("ann");

        Assert.Equal(vip, await s.NextOfferTo("ann"));
        Assert.DoesNotContain(s.Offers(), o => o.Conversation == standard);
    }

    [Fact]
    public async Task EqualPriorityIsServedFirstInFirstOut()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("sales");
        await s.DefineAgent("ann", ["sales"], chat: 1);
        var first = await s.Start("sales");
        var second = await s.Start("sales");
        var third = await s.Start("sales");

        await s.Available("ann");
        var served = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var next = await s.NextOfferTo("ann", skip: i);
            served.Add(next);
            await s.Conversation(next).AcceptAsync("ann");
            await s.Conversation(next).CompleteAsync("ann", "resolved");
        }

        Assert.Equal([first, second, third], served);
    }

    [Theory]
    [InlineData(39.9, "vip")]
    [InlineData(40.1, "standard")]
    public async Task AgingLetsALongWaitingStandardOvertakeAFreshVipExactlyWhenTheRateSays(double waitedSeconds, string expectedFirst)
    {
        // standard 10 + 1/s × wait against a fresh vip at 50: the standard one is ahead once it has waited 40 s.
        var s = new Scenario(cluster);
        await s.DefineQueue("sales", agingPerSecond: 1);
        await s.DefineAgent("ann", ["sales"], chat: 1);
        var standard = await s.Start("sales", tier: "standard");
        s.Advance(TimeSpan.FromSeconds(waitedSeconds));
        var vip = await s.Start("sales", tier: "vip");

        await s.Available("ann");

        Assert.Equal(expectedFirst == "vip" ? vip : standard, await s.NextOfferTo("ann"));
    }

    [Fact]
    public async Task AnAgentServingTwoQueuesTakesFromTheOneItRanksHigher()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("general");
        await s.DefineQueue("returns");
        await s.Agent("ann")
            .DefineAsync(
                new AgentDefinition(
                    "ann",
                    new Dictionary<string, int>(),
                    new Dictionary<string, int> { ["chat"] = 1 },
                    null,
                    [new QueueMembership("general", 2), new QueueMembership("returns", 1)]
                )
            );
        var general = await s.Start("general", tier: "vip");
        s.Advance(TimeSpan.FromSeconds(30));
        var returns = await s.Start("returns", tier: "standard");

        await s.Available("ann");

        Assert.Equal(returns, await s.NextOfferTo("ann"));
        await s.Conversation(returns).AcceptAsync("ann");
        await s.Conversation(returns).CompleteAsync("ann", null);
        Assert.Equal(general, await s.NextOfferTo("ann", skip: 1));
    }
}
