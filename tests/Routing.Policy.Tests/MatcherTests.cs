using static Routing.Policy.Tests.Generators.Build;

namespace Routing.Policy.Tests;

/// <summary>The matcher: one conversation to the best agent, one agent to the best conversations, and full passes.</summary>
public sealed class MatcherTests
{
    private static WaitingConversation[] Line(int count, string channel = "chat") =>
        [.. Enumerable.Range(1, count).Select(i => Conversation($"c{i}", channel: channel, since: At(i), arrival: i))];

    private static string[] Ids(IEnumerable<WaitingConversation> conversations) => [.. conversations.Select(c => c.Id)];

    [Fact]
    public void AgentForPicksOnlyAmongEligibleAgentsAndTakesTheSlot()
    {
        var away = Agent("away", available: false, idleSince: At(-900));
        var full = Agent("full", capacity: Map(("chat", 1)), inUse: Map(("chat", 1)), idleSince: At(-900));
        var ready = Agent("ready", idleSince: At(-10));
        var later = Agent("later", idleSince: At(-5));

        var picked = new Matcher(SelectionMethod.LongestIdle).AgentFor(Conversation(), [away, full, later, ready], T0);

        Assert.Same(ready, picked);
        Assert.Equal(1, ready.InUse["chat"]);
        Assert.Equal(1, ready.TotalInUse);
        Assert.Equal(0, later.TotalInUse);
    }

    [Fact]
    public void AgentForReturnsNobodyAndTakesNothingWhenNoAgentIsEligible()
    {
        var agent = Agent("a1", skills: Map(("billing", 1)));

        var picked = new Matcher(SelectionMethod.LongestIdle).AgentFor(Conversation(plan: Plan(Step(null, ("billing", 5)))), [agent], T0);

        Assert.Null(picked);
        Assert.Equal(0, agent.TotalInUse);
    }

    [Fact]
    public void RoundRobinMatcherCyclesThroughTheAgentsInIdOrderAndWraps()
    {
        var matcher = new Matcher(SelectionMethod.RoundRobin);
        AgentCandidate[] agents = [Agent("a3", idleSince: At(-900)), Agent("a1"), Agent("a2", idleSince: At(-900))];

        var picks = Enumerable.Range(0, 7).Select(i => matcher.AgentFor(Conversation($"c{i}", channel: "email"), agents, T0)!.Id).ToArray();

        Assert.Equal(["a1", "a2", "a3", "a1", "a2", "a3", "a1"], picks);
        Assert.Equal("a1", matcher.LastPicked);
    }

    [Fact]
    public void RoundRobinMatcherSkipsAnAgentWithoutRoom()
    {
        var matcher = new Matcher(SelectionMethod.RoundRobin) { LastPicked = "a1" };
        AgentCandidate[] agents = [Agent("a1"), Agent("a2", capacity: Map(("chat", 1)), inUse: Map(("chat", 1))), Agent("a3")];

        Assert.Equal("a3", matcher.AgentFor(Conversation(), agents, T0)?.Id);
        Assert.Equal("a1", matcher.AgentFor(Conversation(), agents, T0)?.Id);
    }

    [Fact]
    public void OtherMethodsLeaveTheRoundRobinCursorAlone()
    {
        var matcher = new Matcher(SelectionMethod.LongestIdle) { LastPicked = "a2" };

        matcher.AgentFor(Conversation(), [Agent("a1")], T0);

        Assert.Equal("a2", matcher.LastPicked);
    }

    [Fact]
    public void MatchAllNeverOverBooksAnAgentOnAChannel()
    {
        var agent = Agent(capacity: Map(("chat", 2)));

        var assignments = new Matcher(SelectionMethod.LongestIdle).MatchAll(Line(5), [agent], At(10));

        Assert.Equal(["c1", "c2"], Ids(assignments.Select(a => a.Conversation)));
        Assert.Equal(2, agent.InUse["chat"]);
    }

    [Fact]
    public void MatchAllNeverOverBooksAnAgentInTotal()
    {
        var agent = Agent(capacity: Map(("chat", 3), ("email", 5)), maxTotal: 3, inUse: Map(("email", 1)));
        WaitingConversation[] line =
        [
            .. Line(2, "chat"),
            .. Line(2, "email").Select(c => Conversation("e" + c.Id, channel: "email", since: c.WaitingSince)),
        ];

        var assignments = new Matcher(SelectionMethod.LongestIdle).MatchAll(line, [agent], At(10));

        Assert.Equal(2, assignments.Count);
        Assert.Equal(3, agent.TotalInUse);
    }

    [Fact]
    public void MatchAllSpreadsALineOverSeveralAgentsInLineOrder()
    {
        var first = Agent("first", capacity: Map(("chat", 1)), idleSince: At(-60));
        var second = Agent("second", capacity: Map(("chat", 2)), idleSince: At(-30));

        var assignments = new Matcher(SelectionMethod.LongestIdle).MatchAll(Line(4), [second, first], At(10));

        Assert.Equal([("c1", "first"), ("c2", "second"), ("c3", "second")], assignments.Select(a => (a.Conversation.Id, a.Agent.Id)));
    }

    [Fact]
    public void MatchAllPassesOverAConversationNobodyIsEligibleForAndServesTheNext()
    {
        var agent = Agent(skills: Map(("billing", 2)));
        WaitingConversation[] line =
        [
            Conversation("needs-expert", plan: Plan(Step(null, ("billing", 5)))),
            Conversation("declined", excluded: ["a1"], arrival: 1),
            Conversation("voice", channel: "voice", arrival: 2),
            Conversation("anyone", arrival: 3),
        ];

        var assignments = new Matcher(SelectionMethod.LongestIdle).MatchAll(line, [agent], At(10));

        Assert.Equal(["voice", "anyone"], Ids(assignments.Select(a => a.Conversation)));
    }

    [Fact]
    public void MatchAllAssignsNothingWhenNoAgentIsReady()
    {
        AgentCandidate[] agents = [Agent("away", available: false), Agent("full", capacity: Map(("chat", 1)), inUse: Map(("chat", 1)))];

        Assert.Empty(new Matcher(SelectionMethod.LongestIdle).MatchAll(Line(3), agents, At(10)));
    }

    [Fact]
    public void ConversationsForFillsUpToTheAgentsRoomInPriorityOrder()
    {
        var order = new PriorityOrder(0.1);
        var line = new[]
        {
            Conversation("old-standard", priority: 10, since: T0, arrival: 1),
            Conversation("vip", priority: 50, since: At(50), arrival: 2),
            Conversation("gold", priority: 30, since: At(40), arrival: 3),
            Conversation("new-standard", priority: 10, since: At(60), arrival: 4),
        }.Order(order);
        var agent = Agent(capacity: Map(("chat", 3)));

        var picked = new Matcher(SelectionMethod.LongestIdle).ConversationsFor(agent, line, At(60));

        Assert.Equal(["vip", "gold", "old-standard"], Ids(picked));
        Assert.Equal(3, agent.InUse["chat"]);
    }

    [Fact]
    public void ConversationsForCountsWhatTheAgentAlreadyHolds()
    {
        var agent = Agent(capacity: Map(("chat", 3)), inUse: Map(("chat", 2)));

        Assert.Equal(["c1"], Ids(new Matcher(SelectionMethod.LongestIdle).ConversationsFor(agent, Line(3), At(10))));
    }

    [Fact]
    public void ConversationsForRespectsTheTotalLimitAcrossChannels()
    {
        var agent = Agent(capacity: Map(("chat", 3), ("email", 5)), maxTotal: 3);
        WaitingConversation[] line =
        [
            Conversation("e1", channel: "email", arrival: 1),
            Conversation("c1", channel: "chat", arrival: 2),
            Conversation("e2", channel: "email", arrival: 3),
            Conversation("c2", channel: "chat", arrival: 4),
        ];

        Assert.Equal(["e1", "c1", "e2"], Ids(new Matcher(SelectionMethod.LongestIdle).ConversationsFor(agent, line, At(10))));
    }

    [Fact]
    public void ConversationsForSkipsConversationsTheAgentIsNotEligibleFor()
    {
        var agent = Agent("a1", skills: Map(("billing", 3)), capacity: Map(("chat", 5), ("voice", 1)), inUse: Map(("voice", 1)));
        WaitingConversation[] line =
        [
            Conversation("needs-expert", plan: Plan(Step(null, ("billing", 4)))),
            Conversation("declined", excluded: ["a1"], arrival: 1),
            Conversation("voice", channel: "voice", arrival: 2),
            Conversation("other-queue", queue: "support", arrival: 3),
            Conversation("ok", arrival: 4),
        ];

        Assert.Equal(["ok"], Ids(new Matcher(SelectionMethod.LongestIdle).ConversationsFor(agent, line, At(10))));
    }

    [Fact]
    public void ConversationsForGoesOnPastAFullChannelToAnotherChannel()
    {
        var agent = Agent(capacity: Map(("voice", 1), ("email", 2)));
        WaitingConversation[] line =
        [
            Conversation("v1", channel: "voice", arrival: 1),
            Conversation("v2", channel: "voice", arrival: 2),
            Conversation("e1", channel: "email", arrival: 3),
            Conversation("v3", channel: "voice", arrival: 4),
            Conversation("e2", channel: "email", arrival: 5),
            Conversation("e3", channel: "email", arrival: 6),
        ];

        Assert.Equal(["v1", "e1", "e2"], Ids(new Matcher(SelectionMethod.LongestIdle).ConversationsFor(agent, line, At(10))));
    }

    [Fact]
    public void ConversationsForGivesNothingToAnAgentThatIsNotReady()
    {
        var matcher = new Matcher(SelectionMethod.LongestIdle);

        Assert.Empty(matcher.ConversationsFor(Agent(available: false), Line(2), At(10)));
        Assert.Empty(matcher.ConversationsFor(Agent(capacity: Map(("chat", 1)), inUse: Map(("chat", 1))), Line(2), At(10)));
        Assert.Empty(matcher.ConversationsFor(Agent(capacity: Map(("chat", 3)), maxTotal: 0), Line(2), At(10)));
    }
}
