namespace Routing.Policy;

/// <summary>
/// One step of a conversation's skill requirements: the minimum level for each named skill, and how long the
/// step applies. A step without a duration applies for ever; after the last timed step anyone serving the
/// queue qualifies.
/// </summary>
public sealed record SkillStep(IReadOnlyDictionary<string, int> Requirements, TimeSpan? Duration)
{
    public static readonly SkillStep Anyone = new(new Dictionary<string, int>(), null);

    /// <summary>The sum of the minimum levels: no agent whose levels on these skills sum to less can meet the step.</summary>
    public int MinimumTotal { get; } = Requirements.Values.Sum();

    /// <summary>Whether an agent with these skills meets every requirement of the step.</summary>
    public bool IsMetBy(IReadOnlyDictionary<string, int> agentSkills)
    {
        foreach (var (skill, minimum) in Requirements)
        {
            if (!agentSkills.TryGetValue(skill, out var level) || level < minimum)
            {
                return false;
            }
        }
        return true;
    }
}
