using static Routing.Policy.Tests.Generators.Build;

namespace Routing.Policy.Tests;

/// <summary>docs/routing.md, rule 1: each condition, failing alone, makes an otherwise eligible agent ineligible.</summary>
public sealed class EligibilityTests
{
    private static readonly SkillPlan BillingFourThenTwo = Plan(Step(30, ("billing", 4)), Step(30, ("billing", 2)));

    [Fact]
    public void AgentMeetingEveryConditionIsEligible() => Assert.True(Eligibility.IsEligible(Agent(), Conversation(), T0));

    [Fact]
    public void AgentThatIsNotAvailableIsNotEligible() => Assert.False(Eligibility.IsEligible(Agent(available: false), Conversation(), T0));

    [Fact]
    public void AgentThatDoesNotServeTheQueueIsNotEligible() =>
        Assert.False(Eligibility.IsEligible(Agent(queues: Map(("support", 1))), Conversation(), T0));

    [Fact]
    public void AgentOfTheOverflowQueueIsNotEligibleBeforeTheOverflowWaitHasPassed()
    {
        var agent = Agent(queues: Map(("overflow", 1)));
        var conversation = Conversation(overflow: new Overflow("overflow", TimeSpan.FromSeconds(60)));

        Assert.False(Eligibility.IsEligible(agent, conversation, T0));
        Assert.False(Eligibility.IsEligible(agent, conversation, At(59.999)));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(3600)]
    public void AgentOfTheOverflowQueueIsEligibleOnceTheOverflowWaitHasPassed(double waited)
    {
        var agent = Agent(queues: Map(("overflow", 1)));
        var conversation = Conversation(overflow: new Overflow("overflow", TimeSpan.FromSeconds(60)));

        Assert.True(Eligibility.IsEligible(agent, conversation, At(waited)));
    }

    [Fact]
    public void AgentOfAnotherQueueIsNotEligibleEvenAfterTheOverflowWait()
    {
        var conversation = Conversation(overflow: new Overflow("overflow", TimeSpan.FromSeconds(60)));

        Assert.False(Eligibility.IsEligible(Agent(queues: Map(("support", 1))), conversation, At(600)));
    }

    [Fact]
    public void AgentWithNoCapacityForTheChannelIsNotEligible()
    {
        Assert.False(Eligibility.IsEligible(Agent(capacity: Map(("email", 5))), Conversation(channel: "chat"), T0));
        Assert.False(Eligibility.IsEligible(Agent(capacity: Map(("chat", 0), ("email", 5))), Conversation(channel: "chat"), T0));
    }

    [Fact]
    public void AgentWhoseChannelIsFullIsNotEligible()
    {
        var agent = Agent(capacity: Map(("chat", 2), ("email", 5)), inUse: Map(("chat", 2)));

        Assert.False(Eligibility.IsEligible(agent, Conversation(channel: "chat"), T0));
        Assert.True(Eligibility.IsEligible(agent, Conversation(channel: "email"), T0));
    }

    [Fact]
    public void AgentAtItsTotalLimitIsNotEligibleEvenWithRoomOnTheChannel()
    {
        var agent = Agent(capacity: Map(("chat", 3), ("email", 5)), maxTotal: 2, inUse: Map(("email", 2)));

        Assert.False(Eligibility.IsEligible(agent, Conversation(channel: "chat"), T0));
    }

    [Fact]
    public void AgentOneBelowItsTotalLimitIsEligible()
    {
        var agent = Agent(capacity: Map(("chat", 3), ("email", 5)), maxTotal: 2, inUse: Map(("email", 1)));

        Assert.True(Eligibility.IsEligible(agent, Conversation(channel: "chat"), T0));
    }

    [Fact]
    public void AgentThatDeclinedOrMissedTheConversationIsNotEligible()
    {
        Assert.False(Eligibility.IsEligible(Agent(id: "a1"), Conversation(excluded: ["a1"]), T0));
        Assert.True(Eligibility.IsEligible(Agent(id: "a2"), Conversation(excluded: ["a1"]), T0));
    }

    [Fact]
    public void AgentBelowTheCurrentSkillStepIsNotEligible()
    {
        var agent = Agent(skills: Map(("billing", 3)));

        Assert.False(Eligibility.IsEligible(agent, Conversation(plan: BillingFourThenTwo), T0));
        Assert.False(Eligibility.IsEligible(agent, Conversation(plan: BillingFourThenTwo), At(29.999)));
    }

    [Fact]
    public void AgentBelowTheFirstStepBecomesEligibleWhenTheStepRelaxes() =>
        Assert.True(Eligibility.IsEligible(Agent(skills: Map(("billing", 3))), Conversation(plan: BillingFourThenTwo), At(30)));

    [Fact]
    public void AgentLackingARequiredSkillIsNotEligibleUntilAnyoneQualifies()
    {
        var agent = Agent(skills: Map(("returns", 5)));

        Assert.False(Eligibility.IsEligible(agent, Conversation(plan: BillingFourThenTwo), At(59.999)));
        Assert.True(Eligibility.IsEligible(agent, Conversation(plan: BillingFourThenTwo), At(60)));
    }

    [Fact]
    public void AgentOfTheOverflowQueueMustStillMeetTheCurrentSkillStep()
    {
        var conversation = Conversation(plan: Plan(Step(null, ("billing", 4))), overflow: new Overflow("overflow", TimeSpan.Zero));

        Assert.False(Eligibility.IsEligible(Agent(queues: Map(("overflow", 1)), skills: Map(("billing", 3))), conversation, At(10)));
        Assert.True(Eligibility.IsEligible(Agent(queues: Map(("overflow", 1)), skills: Map(("billing", 4))), conversation, At(10)));
    }

    [Fact]
    public void AgentThatIsAwayAndBusyCouldStillServeLater()
    {
        var agent = Agent(available: false, capacity: Map(("chat", 1)), inUse: Map(("chat", 1)));

        Assert.True(Eligibility.CouldEverServe(agent, Conversation(plan: BillingFourThenTwo)));
    }

    [Fact]
    public void AgentOfTheOverflowQueueCouldServe() =>
        Assert.True(
            Eligibility.CouldEverServe(
                Agent(queues: Map(("overflow", 1))),
                Conversation(overflow: new Overflow("overflow", TimeSpan.FromSeconds(60)))
            )
        );

    [Fact]
    public void AgentWithoutTheChannelOrOutsideTheQueueOrExcludedCouldNeverServe()
    {
        Assert.False(Eligibility.CouldEverServe(Agent(capacity: Map(("email", 5))), Conversation(channel: "chat")));
        Assert.False(Eligibility.CouldEverServe(Agent(capacity: Map(("chat", 3)), maxTotal: 0), Conversation(channel: "chat")));
        Assert.False(Eligibility.CouldEverServe(Agent(queues: Map(("support", 1))), Conversation()));
        Assert.False(Eligibility.CouldEverServe(Agent(id: "a1"), Conversation(excluded: ["a1"])));
    }

    [Fact]
    public void AgentBelowAnUntimedLastStepCouldNeverServe()
    {
        var plan = Plan(Step(30, ("billing", 5)), Step(null, ("billing", 4)));

        Assert.False(Eligibility.CouldEverServe(Agent(skills: Map(("billing", 3))), Conversation(plan: plan)));
        Assert.True(Eligibility.CouldEverServe(Agent(skills: Map(("billing", 4))), Conversation(plan: plan)));
    }

    [Fact]
    public void AgentBelowAnUntimedMiddleStepCouldNeverServe()
    {
        // The untimed step applies for ever, so the steps after it are never reached.
        var plan = Plan(Step(30, ("billing", 5)), Step(null, ("billing", 4)), Step(30, ("billing", 1)));
        var agent = Agent(skills: Map(("billing", 3)));

        Assert.False(Eligibility.IsEligible(agent, Conversation(plan: plan), At(1_000_000)));
        Assert.False(Eligibility.CouldEverServe(agent, Conversation(plan: plan)));
    }
}
