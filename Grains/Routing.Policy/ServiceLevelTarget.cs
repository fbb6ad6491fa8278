namespace Routing.Policy;

/// <summary>A queue's service-level goal: <see cref="Percent"/> of conversations answered within <see cref="Target"/>.</summary>
public sealed record ServiceLevelTarget(TimeSpan Target, double Percent)
{
    public static readonly ServiceLevelTarget Default = new(TimeSpan.FromSeconds(20), 80);
}
