namespace Routing.Contracts;

/// <summary>What an interval report's rows are keyed by.</summary>
[GenerateSerializer, Alias("routing.ReportBy")]
public enum ReportBy
{
    Queue,
    Agent,
    Channel,
}

/// <summary>
/// An interval report over [<see cref="From"/>, <see cref="To"/>), in steps of <see cref="Interval"/>. The ledger
/// keeps quarter-hour totals, so the times fall on a <see cref="Quarter"/> and the interval is a whole number of them.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.IntervalQuery")]
public sealed record IntervalQuery(DateTimeOffset From, DateTimeOffset To, TimeSpan Interval, ReportBy By)
{
    public static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    public static bool IsOnQuarter(DateTimeOffset at) => at.UtcTicks % Quarter.Ticks == 0;
}

/// <summary>
/// One interval of one queue, agent or channel, from the ledger's quarter-hour totals of the timelines; each figure counts what happened in
/// the interval: conversations created (offered to the queue), connected, abandoned (short: within 5 s), the
/// average speed of answer, average talk and wrap-up, the service level against the queue's target (answered
/// within it, of those answered or abandoned after 5 s), transfers, and the ratings of those completed.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.IntervalRow")]
public sealed record IntervalRow(
    DateTimeOffset Start,
    DateTimeOffset End,
    string Key,
    int Offered,
    int Connected,
    int Abandoned,
    int ShortAbandoned,
    double? AverageSpeedOfAnswerSeconds,
    double? AverageTalkSeconds,
    double? AverageWrapUpSeconds,
    double? ServiceLevelPercent,
    int Transfers,
    double? CsatAverage,
    int CsatCount,
    int SelfServed = 0,
    int Deflected = 0,
    int Escalated = 0,
    double? AverageSelfServiceSeconds = null
);

/// <summary>
/// One of the most frequent terms of customers' first messages in an interval (docs/self-service.md, "Keywords"): in how
/// many of the conversations created then it appears, and its rank there (1 the most frequent).
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.KeywordRow")]
public sealed record KeywordRow(DateTimeOffset Start, DateTimeOffset End, int Rank, string Term, int Conversations);

/// <summary>A conversation's first words: its queue, when it was created, and its customer's first message (null: none).</summary>
[GenerateSerializer, Immutable, Alias("routing.FirstMessage")]
public sealed record FirstMessage(string QueueId, DateTimeOffset CreatedAt, string? Text)
{
    /// <summary>Without the words: what customers write stays out of the logs.</summary>
    public override string ToString() => $"FirstMessage {{ QueueId = {QueueId}, CreatedAt = {CreatedAt:O} }}";
}

/// <summary>
/// How many of a queue's conversations created in a period an agent completed with one disposition (docs/conversations.md,
/// "Disposition codes"); <see cref="Disposition"/> is null for those completed without one.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.DispositionCount")]
public sealed record DispositionCount(string QueueId, string? Disposition, int Conversations);
