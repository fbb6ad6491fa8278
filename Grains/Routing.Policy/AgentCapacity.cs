namespace Routing.Policy;

/// <summary>
/// How many conversations an agent may carry at once: a limit per channel and an optional limit in total.
/// A channel missing from <see cref="PerChannel"/> (or with 0) is one the agent never takes.
/// </summary>
public sealed record AgentCapacity(IReadOnlyDictionary<string, int> PerChannel, int? MaxTotal)
{
    /// <summary>The most the agent can ever hold at once: the total limit, or the sum of the channel limits.</summary>
    public int EffectiveTotal => MaxTotal is { } max ? Math.Min(max, PerChannel.Values.Sum()) : PerChannel.Values.Sum();

    public int LimitFor(string channel) => PerChannel.TryGetValue(channel, out var limit) ? limit : 0;

    /// <summary>Whether one more conversation on <paramref name="channel"/> fits beside what is in use.</summary>
    public bool HasRoomFor(string channel, IReadOnlyDictionary<string, int> inUse, int totalInUse)
    {
        var used = inUse.TryGetValue(channel, out var n) ? n : 0;
        return used < LimitFor(channel) && (MaxTotal is not { } max || totalInUse < max);
    }
}
