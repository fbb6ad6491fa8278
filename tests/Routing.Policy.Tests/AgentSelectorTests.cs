using static Routing.Policy.Tests.Generators.Build;

namespace Routing.Policy.Tests;

/// <summary>docs/routing.md, rule 4: each selection method picks what it promises, ties included.</summary>
public sealed class AgentSelectorTests
{
    private static readonly WaitingConversation Billing = Conversation(
        plan: Plan(Step(30, ("billing", 4), ("zh", 2)), Step(30, ("billing", 2)))
    );

    private static string? Pick(SelectionMethod method, string? lastPicked, params AgentCandidate[] eligible) =>
        AgentSelector.Pick(method, eligible, Billing, lastPicked)?.Id;

    [Theory]
    [InlineData(SelectionMethod.LongestIdle)]
    [InlineData(SelectionMethod.MostSkilled)]
    [InlineData(SelectionMethod.LeastOccupied)]
    [InlineData(SelectionMethod.RoundRobin)]
    public void NobodyIsPickedFromNoEligibleAgents(SelectionMethod method) => Assert.Null(Pick(method, "a1"));

    [Fact]
    public void LongestIdlePicksTheAgentIdleSinceEarliest() =>
        Assert.Equal(
            "b",
            Pick(
                SelectionMethod.LongestIdle,
                null,
                Agent("a", idleSince: At(-10)),
                Agent("b", idleSince: At(-300)),
                Agent("c", idleSince: At(-299.999))
            )
        );

    [Fact]
    public void LongestIdleTieGoesToTheLowerAgentId() =>
        Assert.Equal(
            "a2",
            Pick(
                SelectionMethod.LongestIdle,
                null,
                Agent("a3", idleSince: At(-60)),
                Agent("a2", idleSince: At(-60)),
                Agent("a9", idleSince: At(-60))
            )
        );

    [Fact]
    public void MostSkilledPicksTheHighestSummedProficiencyOnTheRequiredSkills() =>
        Assert.Equal(
            "balanced",
            Pick(
                SelectionMethod.MostSkilled,
                null,
                Agent("billing-expert", skills: Map(("billing", 5), ("zh", 1)), idleSince: At(-600)),
                Agent("balanced", skills: Map(("billing", 4), ("zh", 4))),
                Agent("linguist", skills: Map(("zh", 5)), idleSince: At(-600))
            )
        );

    [Fact]
    public void MostSkilledIgnoresSkillsTheConversationDoesNotNeed() =>
        Assert.Equal(
            "billing",
            Pick(
                SelectionMethod.MostSkilled,
                null,
                Agent("polyglot", skills: Map(("billing", 2), ("en", 5), ("fr", 5), ("de", 5)), idleSince: At(-600)),
                Agent("billing", skills: Map(("billing", 3)))
            )
        );

    [Fact]
    public void MostSkilledTieGoesToTheLongestIdle() =>
        Assert.Equal(
            "idle-longer",
            Pick(
                SelectionMethod.MostSkilled,
                null,
                Agent("a", skills: Map(("billing", 4), ("zh", 2)), idleSince: At(-10)),
                Agent("idle-longer", skills: Map(("billing", 3), ("zh", 3)), idleSince: At(-20)),
                Agent("less-skilled", skills: Map(("billing", 3)), idleSince: At(-900))
            )
        );

    [Fact]
    public void LeastOccupiedPicksTheLowestShareOfCapacityInUseNotTheFewestConversations() =>
        Assert.Equal(
            "two-of-ten",
            Pick(
                SelectionMethod.LeastOccupied,
                null,
                Agent("one-of-three", capacity: Map(("chat", 3)), inUse: Map(("chat", 1)), idleSince: At(-600)),
                Agent("two-of-ten", capacity: Map(("chat", 5), ("email", 5)), inUse: Map(("email", 2)))
            )
        );

    [Fact]
    public void LeastOccupiedMeasuresAgainstTheTotalLimitWhenItIsSmaller() =>
        Assert.Equal(
            "two-of-ten",
            Pick(
                SelectionMethod.LeastOccupied,
                null,
                Agent("two-of-ten", capacity: Map(("chat", 5), ("email", 5)), inUse: Map(("chat", 2))),
                Agent("one-of-four", capacity: Map(("chat", 5), ("email", 5)), maxTotal: 4, inUse: Map(("chat", 1)), idleSince: At(-600))
            )
        );

    [Fact]
    public void LeastOccupiedTieGoesToTheLongestIdle() =>
        Assert.Equal(
            "idle-longer",
            Pick(
                SelectionMethod.LeastOccupied,
                null,
                Agent("a", capacity: Map(("chat", 2)), inUse: Map(("chat", 1)), idleSince: At(-10)),
                Agent("idle-longer", capacity: Map(("chat", 4)), inUse: Map(("chat", 2)), idleSince: At(-20)),
                Agent("busier", capacity: Map(("chat", 3)), inUse: Map(("chat", 2)), idleSince: At(-900))
            )
        );

    [Fact]
    public void RoundRobinStartsWithTheLowestIdWhenNobodyWasPickedYet() =>
        Assert.Equal("a1", Pick(SelectionMethod.RoundRobin, null, Agent("a3"), Agent("a1"), Agent("a2")));

    [Fact]
    public void RoundRobinContinuesAfterTheAgentPickedLast() =>
        Assert.Equal("a2", Pick(SelectionMethod.RoundRobin, "a1", Agent("a3"), Agent("a1"), Agent("a2")));

    [Fact]
    public void RoundRobinWrapsToTheLowestIdAfterTheHighest() =>
        Assert.Equal("a1", Pick(SelectionMethod.RoundRobin, "a3", Agent("a3"), Agent("a1"), Agent("a2")));

    [Fact]
    public void RoundRobinContinuesAfterTheLastPickedEvenWhenItIsNoLongerEligible() =>
        Assert.Equal("a3", Pick(SelectionMethod.RoundRobin, "a2", Agent("a4"), Agent("a1"), Agent("a3")));

    [Fact]
    public void RoundRobinIgnoresIdleTimeAndLoad() =>
        Assert.Equal(
            "b",
            Pick(
                SelectionMethod.RoundRobin,
                "a",
                Agent("c", idleSince: At(-900)),
                Agent("b", capacity: Map(("chat", 3)), inUse: Map(("chat", 2))),
                Agent("a", idleSince: At(-900))
            )
        );

    [Fact]
    public void UnknownSelectionMethodIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Pick((SelectionMethod)42, null, Agent("a")));

    [Fact]
    public void WireNamesParseToTheirMethods()
    {
        Assert.Equal(SelectionMethod.LongestIdle, SelectionMethods.Parse("longest-idle"));
        Assert.Equal(SelectionMethod.MostSkilled, SelectionMethods.Parse("most-skilled"));
        Assert.Equal(SelectionMethod.LeastOccupied, SelectionMethods.Parse("least-occupied"));
        Assert.Equal(SelectionMethod.RoundRobin, SelectionMethods.Parse("round-robin"));
        Assert.False(SelectionMethods.TryParse("random", out _));
        Assert.False(SelectionMethods.TryParse(null, out _));
    }
}
