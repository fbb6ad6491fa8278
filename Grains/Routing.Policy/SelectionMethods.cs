namespace Routing.Policy;

/// <summary>The wire names of the selection methods: <c>longest-idle</c>, <c>most-skilled</c>, <c>least-occupied</c>,
/// <c>round-robin</c>.</summary>
public static class SelectionMethods
{
    private static readonly Dictionary<string, SelectionMethod> ByName = new(StringComparer.Ordinal)
    {
        ["longest-idle"] = SelectionMethod.LongestIdle,
        ["most-skilled"] = SelectionMethod.MostSkilled,
        ["least-occupied"] = SelectionMethod.LeastOccupied,
        ["round-robin"] = SelectionMethod.RoundRobin,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool TryParse(string? name, out SelectionMethod method) => ByName.TryGetValue(name ?? string.Empty, out method);

    public static SelectionMethod Parse(string name) =>
        TryParse(name, out var method) ? method : throw new ArgumentException($"Unknown selection method '{name}'.", nameof(name));
}
