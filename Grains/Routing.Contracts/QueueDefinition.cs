namespace Routing.Contracts;

/// <summary>
/// A queue: where conversations wait for the agents who serve it. <see cref="Selection"/> is one of
/// <c>longest-idle</c>, <c>most-skilled</c>, <c>least-occupied</c>, <c>round-robin</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.QueueDefinition")]
public sealed record QueueDefinition(
    string Name,
    ServiceLevelGoal ServiceLevel,
    string Selection,
    double AgingPerSecond,
    IReadOnlyDictionary<string, int> WrapUpSeconds,
    int OfferTimeoutSeconds,
    OverflowRule? Overflow,
    int? MaxLength
)
{
    public const string DefaultSelection = "longest-idle";
    public const int DefaultOfferTimeoutSeconds = 15;

    public int WrapUpSecondsFor(string channel) => WrapUpSeconds.TryGetValue(channel, out var s) ? s : 0;
}

/// <summary>Answer <see cref="Percent"/> % of conversations within <see cref="TargetSeconds"/> seconds.</summary>
[GenerateSerializer, Immutable, Alias("routing.ServiceLevelGoal")]
public sealed record ServiceLevelGoal(int TargetSeconds, double Percent)
{
    public static readonly ServiceLevelGoal Default = new(20, 80);
}

/// <summary>After waiting <see cref="AfterSeconds"/>, a conversation may also go to the agents of <see cref="QueueId"/>.</summary>
[GenerateSerializer, Immutable, Alias("routing.OverflowRule")]
public sealed record OverflowRule(string QueueId, int AfterSeconds);

/// <summary>A queue with its id, as stored and listed.</summary>
[GenerateSerializer, Immutable, Alias("routing.QueueInfo")]
public sealed record QueueInfo(string QueueId, QueueDefinition Definition, DateTimeOffset UpdatedAt);
