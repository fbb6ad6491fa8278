namespace Routing.Contracts;

/// <summary>
/// A queue: where conversations wait for the agents who serve it. <see cref="Selection"/> is one of
/// <c>longest-idle</c>, <c>most-skilled</c>, <c>least-occupied</c>, <c>round-robin</c>. <see cref="SelfService"/> is the
/// step a chat takes before the line (docs/self-service.md): <c>off</c>, <c>suggest</c> or <c>bot-first</c>.
/// <see cref="DispositionCodes"/>, when the queue lists any, are the outcomes its agents choose from at completion
/// (docs/conversations.md, "Disposition codes"): a completion then names one of them, or none.
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
    int? MaxLength,
    string SelfService = SelfServiceModes.Off,
    IReadOnlyList<DispositionCode>? DispositionCodes = null,
    QueueHours? Hours = null,
    FeedbackRule? Feedback = null
)
{
    public const string DefaultSelection = "longest-idle";
    public const int DefaultOfferTimeoutSeconds = 15;

    public int WrapUpSecondsFor(string channel) => WrapUpSeconds.TryGetValue(channel, out var s) ? s : 0;
}

/// <summary>An outcome an agent may give a conversation at completion: its stable <see cref="Code"/> and the name the desk shows.</summary>
[GenerateSerializer, Immutable, Alias("routing.DispositionCode")]
public sealed record DispositionCode(string Code, string Name);

/// <summary>
/// A queue's business hours (docs/routing.md, "Business hours"): an IANA <see cref="TimeZone"/>, the weekly spans it is open
/// in that zone's wall-clock time, and the dates (<c>yyyy-MM-dd</c>) it is closed all day. A queue without hours is always open.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.QueueHours")]
public sealed record QueueHours(string TimeZone, IReadOnlyList<OpeningHours> Weekly, IReadOnlyList<string> Holidays)
{
    public const int MaxSpans = 28;
    public const int MaxHolidays = 366;
    public const int TimeZoneLength = 64;

    /// <summary>The days a span names, Monday first.</summary>
    public static readonly IReadOnlyList<string> Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
}

/// <summary>Open on <see cref="Days"/> (<c>monday</c>…<c>sunday</c>) from <see cref="Open"/> to <see cref="Close"/>
/// (<c>HH:mm</c>; <c>24:00</c>: midnight).</summary>
[GenerateSerializer, Immutable, Alias("routing.OpeningHours")]
public sealed record OpeningHours(IReadOnlyList<string> Days, string Open, string Close);

/// <summary>Whether a queue is open now, and if not, when it next opens (null: never, within a year).</summary>
[GenerateSerializer, Immutable, Alias("routing.QueueOpening")]
public sealed record QueueOpening(bool Open, DateTimeOffset? OpensAt);

/// <summary>Answer <see cref="Percent"/> % of conversations within <see cref="TargetSeconds"/> seconds.</summary>
[GenerateSerializer, Immutable, Alias("routing.ServiceLevelGoal")]
public sealed record ServiceLevelGoal(int TargetSeconds, double Percent)
{
    public static readonly ServiceLevelGoal Default = new(20, 80);
}

/// <summary>
/// Feedback routed back (docs/conversations.md, "Feedback routed back"): a rating of <see cref="MaxRating"/> or less opens a
/// follow-up conversation in <see cref="QueueId"/>, for the agents with <see cref="Skills"/> (a skill group; none: any of
/// the queue's), linked to the rated one.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.FeedbackRule")]
public sealed record FeedbackRule(string QueueId, IReadOnlyDictionary<string, int> Skills)
{
    public const int MaxRating = 2;
}

/// <summary>After waiting <see cref="AfterSeconds"/>, a conversation may also go to the agents of <see cref="QueueId"/>.</summary>
[GenerateSerializer, Immutable, Alias("routing.OverflowRule")]
public sealed record OverflowRule(string QueueId, int AfterSeconds);

/// <summary>A queue with its id, as stored and listed.</summary>
[GenerateSerializer, Immutable, Alias("routing.QueueInfo")]
public sealed record QueueInfo(string QueueId, QueueDefinition Definition, DateTimeOffset UpdatedAt);

/// <summary>The self-service step a queue gives its chats before the line (docs/self-service.md).</summary>
public static class SelfServiceModes
{
    /// <summary>No step: a chat enters the line at once.</summary>
    public const string Off = "off";

    /// <summary>The customer's messages are answered with the best articles; a person is one click away.</summary>
    public const string Suggest = "suggest";

    /// <summary>The bot answers first, one article at a time; the customer may ask for a person at any time.</summary>
    public const string BotFirst = "bot-first";

    public static readonly string[] All = [Off, Suggest, BotFirst];

    /// <summary>The channels a self-service step applies to: those a customer types in.</summary>
    public static bool AppliesTo(string channel) => channel is "chat" or "social";
}
