using CsCheck;
using Routing.Policy.Tests.Generators;

namespace Routing.Policy.Tests;

/// <summary>Property tests of docs/routing.md, rule 2: steps apply in order and relax exactly where the plan says.</summary>
public sealed class SkillPlanProperties
{
    [Fact]
    public void StepsApplyInOrderAndRelaxExactlyAtTheAnnouncedWait() =>
        Gen.Select(PolicyGen.Plan, Gen.Long[0, 400 * TimeSpan.TicksPerSecond], Gen.Long[0, 400 * TimeSpan.TicksPerSecond])
            .Sample(
                (plan, a, b) =>
                {
                    var waited = TimeSpan.FromTicks(Math.Min(a, b));
                    var longer = TimeSpan.FromTicks(Math.Max(a, b));
                    var step = plan.StepAt(waited);
                    Assert.True(IndexOf(plan, step) <= IndexOf(plan, plan.StepAt(longer)), "a longer wait went back to an earlier step");

                    if (plan.NextRelaxationAfter(waited) is { } next)
                    {
                        Assert.True(next > waited);
                        Assert.Same(step, plan.StepAt(next - TimeSpan.FromTicks(1)));
                        Assert.NotSame(step, plan.StepAt(next));
                    }
                    else
                    {
                        Assert.Same(step, plan.StepAt(waited + TimeSpan.FromDays(3650)));
                        Assert.Same(plan.Final, step);
                    }
                },
                iter: 3_000,
                print: t => $"{t.Item2} {t.Item3} " + $"[{string.Join(" ; ", t.Item1.Steps.Select(Step))}]"
            );

    private static string Step(SkillStep s) => $"{AgentSpec.Show(s.Requirements)} for {s.Duration?.ToString() ?? "ever"}";

    /// <summary>The position of <paramref name="step"/> in the plan; "anyone" after the last step comes after all of them.</summary>
    private static int IndexOf(SkillPlan plan, SkillStep step)
    {
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            if (ReferenceEquals(plan.Steps[i], step))
            {
                return i;
            }
        }
        Assert.Same(SkillStep.Anyone, step);
        return plan.Steps.Count;
    }
}
