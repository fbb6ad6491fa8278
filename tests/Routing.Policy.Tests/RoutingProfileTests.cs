using static Routing.Policy.Tests.Generators.Build;

namespace Routing.Policy.Tests;

/// <summary>docs/routing.md, rule 3, across queues: an agent takes work from the queue it ranks highest first.</summary>
public sealed class RoutingProfileTests
{
    private static readonly PriorityOrder Order = new(0.1);

    private static Dictionary<string, IEnumerable<WaitingConversation>> Lines(params WaitingConversation[] conversations) =>
        conversations
            .GroupBy(c => c.QueueId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IEnumerable<WaitingConversation>)[.. g.Order(Order)], StringComparer.Ordinal);

    [Fact]
    public void QueuesAreTakenInRankOrderWithRankOneFirst() =>
        Assert.Equal(["vip", "sales", "support"], RoutingProfile.QueuesByRank(Map(("support", 3), ("vip", 1), ("sales", 2))));

    [Fact]
    public void QueuesOfEqualRankAreTakenInIdOrder() =>
        Assert.Equal(["a", "b", "c"], RoutingProfile.QueuesByRank(Map(("c", 1), ("b", 1), ("a", 1))));

    [Fact]
    public void AgentGetsTheConversationFromItsHigherRankedQueueFirst()
    {
        var agent = Agent(queues: Map(("support", 2), ("sales", 1)));
        var lines = Lines(
            Conversation("support-vip", queue: "support", priority: 50, since: At(-600)),
            Conversation("sales-standard", queue: "sales", priority: 10, since: T0)
        );

        Assert.Equal("sales-standard", RoutingProfile.NextFor(agent, lines, At(1))?.Id);
    }

    [Fact]
    public void AgentFallsBackToALowerRankedQueueWhenItIsEligibleForNothingHigher()
    {
        var agent = Agent(queues: Map(("support", 2), ("sales", 1)), skills: Map(("billing", 2)));
        var lines = Lines(
            Conversation("sales-expert", queue: "sales", plan: Plan(Step(null, ("billing", 5)))),
            Conversation("support", queue: "support")
        );

        Assert.Equal("support", RoutingProfile.NextFor(agent, lines, At(1))?.Id);
    }

    [Fact]
    public void InsideAQueueTheAgentGetsTheFirstEligibleInPriorityOrder()
    {
        var agent = Agent("a1", queues: Map(("sales", 1)));
        var lines = Lines(
            Conversation("declined", priority: 50, excluded: ["a1"]),
            Conversation("standard", priority: 10, since: At(-30), arrival: 1),
            Conversation("gold", priority: 30, arrival: 2)
        );

        Assert.Equal("gold", RoutingProfile.NextFor(agent, lines, At(1))?.Id);
    }

    [Fact]
    public void LinesOfQueuesTheAgentDoesNotServeAreIgnored()
    {
        var agent = Agent(queues: Map(("sales", 1)));
        var lines = Lines(Conversation("support", queue: "support", priority: 50));

        Assert.Null(RoutingProfile.NextFor(agent, lines, At(1)));
    }

    [Fact]
    public void AgentServingAQueueWithoutALineGetsNothingFromIt()
    {
        var agent = Agent(queues: Map(("empty", 1), ("sales", 2)));

        Assert.Equal("c1", RoutingProfile.NextFor(agent, Lines(Conversation("c1")), At(1))?.Id);
    }
}
