namespace Routing.Policy;

/// <summary>
/// The ordered skill steps of a conversation (docs/routing.md, rule 2): requirements relax as the wait grows,
/// e.g. <c>billing&gt;=4</c> for 30 s, then <c>billing&gt;=2</c> for 30 s, then anyone in the queue.
/// </summary>
public sealed class SkillPlan
{
    public static readonly SkillPlan None = new([]);

    public SkillPlan(IReadOnlyList<SkillStep> steps)
    {
        Steps = steps;
        // An untimed step applies for ever, so the first one is the last that ever applies.
        Final = steps.FirstOrDefault(s => s.Duration is null) ?? SkillStep.Anyone;
        Skills = steps.SelectMany(s => s.Requirements.Keys).Distinct(StringComparer.Ordinal).ToArray();
        SkillsKey = string.Join('\u001f', Skills);
    }

    public IReadOnlyList<SkillStep> Steps { get; }

    /// <summary>The step that applies once every timed step has run out: the last chance anyone has.</summary>
    public SkillStep Final { get; }

    /// <summary>Every skill any step names: what "most skilled" measures.</summary>
    public IReadOnlyList<string> Skills { get; }

    /// <summary><see cref="Skills"/> as one string: plans naming the same skills in the same order share it.</summary>
    public string SkillsKey { get; }

    /// <summary>The step in force after waiting <paramref name="waited"/>.</summary>
    public SkillStep StepAt(TimeSpan waited)
    {
        var end = TimeSpan.Zero;
        foreach (var step in Steps)
        {
            if (step.Duration is not { } duration)
            {
                return step;
            }
            end += duration;
            if (waited < end)
            {
                return step;
            }
        }
        return SkillStep.Anyone;
    }

    /// <summary>The wait at which the step in force after <paramref name="waited"/> gives way to the next, if it ever does.</summary>
    public TimeSpan? NextRelaxationAfter(TimeSpan waited)
    {
        var end = TimeSpan.Zero;
        foreach (var step in Steps)
        {
            if (step.Duration is not { } duration)
            {
                return null;
            }
            end += duration;
            if (waited < end)
            {
                return end;
            }
        }
        return null;
    }
}
