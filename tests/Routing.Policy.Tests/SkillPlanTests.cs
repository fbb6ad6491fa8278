using static Routing.Policy.Tests.Generators.Build;

namespace Routing.Policy.Tests;

/// <summary>docs/routing.md, rule 2: requirement steps apply in order as the wait grows.</summary>
public sealed class SkillPlanTests
{
    private static readonly SkillStep BillingFour = Step(30, ("billing", 4));
    private static readonly SkillStep BillingTwo = Step(30, ("billing", 2));
    private static readonly SkillPlan TwoTimedSteps = Plan(BillingFour, BillingTwo);

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public void FirstStepAppliesFromTheStart() => Assert.Same(BillingFour, TwoTimedSteps.StepAt(TimeSpan.Zero));

    [Fact]
    public void StepRelaxesExactlyAtItsBoundary()
    {
        Assert.Same(BillingFour, TwoTimedSteps.StepAt(Seconds(30) - TimeSpan.FromTicks(1)));
        Assert.Same(BillingTwo, TwoTimedSteps.StepAt(Seconds(30)));
    }

    [Fact]
    public void SecondStepEndsAfterTheSumOfTheDurations()
    {
        Assert.Same(BillingTwo, TwoTimedSteps.StepAt(Seconds(60) - TimeSpan.FromTicks(1)));
        Assert.Same(SkillStep.Anyone, TwoTimedSteps.StepAt(Seconds(60)));
    }

    [Fact]
    public void AfterTheLastTimedStepAnyoneQualifies()
    {
        var step = TwoTimedSteps.StepAt(Seconds(3600));

        Assert.Empty(step.Requirements);
        Assert.True(step.IsMetBy(Map()));
        Assert.Same(SkillStep.Anyone, TwoTimedSteps.Final);
    }

    [Fact]
    public void UntimedStepLastsForever()
    {
        var forever = Step(null, ("billing", 2));
        var plan = Plan(BillingFour, forever);

        Assert.Same(forever, plan.StepAt(Seconds(30)));
        Assert.Same(forever, plan.StepAt(TimeSpan.FromDays(3650)));
        Assert.Same(forever, plan.Final);
    }

    [Fact]
    public void UntimedFirstStepIsTheOnlyStepThatEverApplies()
    {
        var forever = Step(null, ("billing", 5));
        var plan = Plan(forever, BillingTwo);

        Assert.Same(forever, plan.StepAt(TimeSpan.FromDays(1)));
        Assert.Same(forever, plan.Final);
        Assert.Null(plan.NextRelaxationAfter(TimeSpan.Zero));
    }

    [Fact]
    public void EmptyPlanLetsAnyoneQualify()
    {
        Assert.Same(SkillStep.Anyone, SkillPlan.None.StepAt(TimeSpan.Zero));
        Assert.Same(SkillStep.Anyone, SkillPlan.None.Final);
        Assert.Null(SkillPlan.None.NextRelaxationAfter(TimeSpan.Zero));
        Assert.Empty(SkillPlan.None.Skills);
    }

    [Fact]
    public void ZeroLengthStepNeverApplies()
    {
        var plan = Plan(Step(0, ("billing", 5)), BillingTwo);

        Assert.Same(BillingTwo, plan.StepAt(TimeSpan.Zero));
        Assert.Equal(Seconds(30), plan.NextRelaxationAfter(TimeSpan.Zero));
    }

    [Fact]
    public void NextRelaxationIsTheEndOfTheStepInForce()
    {
        Assert.Equal(Seconds(30), TwoTimedSteps.NextRelaxationAfter(TimeSpan.Zero));
        Assert.Equal(Seconds(30), TwoTimedSteps.NextRelaxationAfter(Seconds(29.999)));
        Assert.Equal(Seconds(60), TwoTimedSteps.NextRelaxationAfter(Seconds(30)));
        Assert.Equal(Seconds(60), TwoTimedSteps.NextRelaxationAfter(Seconds(59.999)));
    }

    [Fact]
    public void NothingRelaxesAfterTheLastTimedStep()
    {
        Assert.Null(TwoTimedSteps.NextRelaxationAfter(Seconds(60)));
        Assert.Null(TwoTimedSteps.NextRelaxationAfter(Seconds(3600)));
    }

    [Fact]
    public void NothingRelaxesDuringAnUntimedStep() =>
        Assert.Null(Plan(BillingFour, Step(null, ("billing", 2))).NextRelaxationAfter(Seconds(30)));

    [Fact]
    public void NextRelaxationMatchesTheStepBoundary()
    {
        var plan = Plan(Step(12.5, ("billing", 5)), Step(7.5, ("billing", 3)), Step(40, ("zh", 2)));
        var waited = TimeSpan.Zero;
        while (plan.NextRelaxationAfter(waited) is { } next)
        {
            Assert.Same(plan.StepAt(waited), plan.StepAt(next - TimeSpan.FromTicks(1)));
            Assert.NotSame(plan.StepAt(waited), plan.StepAt(next));
            waited = next;
        }
        Assert.Equal(Seconds(60), waited);
        Assert.Same(SkillStep.Anyone, plan.StepAt(waited));
    }

    [Fact]
    public void SkillsListsEverySkillAnyStepNamesOnce() =>
        Assert.Equal(["billing", "zh", "en"], Plan(Step(30, ("billing", 4), ("zh", 3)), Step(30, ("billing", 2), ("en", 1))).Skills);

    [Fact]
    public void StepIsMetAtExactlyTheMinimumLevel()
    {
        var step = Step(30, ("billing", 4), ("zh", 2));

        Assert.True(step.IsMetBy(Map(("billing", 4), ("zh", 2))));
        Assert.True(step.IsMetBy(Map(("billing", 5), ("zh", 5), ("en", 1))));
        Assert.False(step.IsMetBy(Map(("billing", 3), ("zh", 5))));
        Assert.False(step.IsMetBy(Map(("billing", 5))));
    }
}
