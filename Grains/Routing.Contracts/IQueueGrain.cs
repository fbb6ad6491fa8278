namespace Routing.Contracts;

/// <summary>
/// A queue, keyed <c>{workspace}/{queueId}</c>: the waiting line in priority order and a mirror of the agents
/// that serve it. It does the matching — on every arrival, every freed agent and every relaxation of a skill
/// step — and asks the conversation to offer itself to the chosen agent.
/// </summary>
[Alias("routing.IQueueGrain")]
public interface IQueueGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the queue's definition.</summary>
    [Alias("Define")]
    Task<QueueInfo> DefineAsync(QueueDefinition definition);

    /// <summary>The definition, or null when the queue was never defined.</summary>
    [Alias("Get")]
    Task<QueueInfo?> GetAsync();

    /// <summary>Whether the queue is open now by its business hours, and when it next opens (docs/routing.md, "Business hours").</summary>
    [Alias("GetOpening")]
    Task<QueueOpening> GetOpeningAsync();

    /// <summary>The live statistics of docs/routing.md, "Statistics".</summary>
    [Alias("GetStats")]
    Task<QueueStats> GetStatsAsync();

    /// <summary>
    /// The last hour of the queue's once-a-second figures, oldest first, one tick per <paramref name="seconds"/>
    /// (the step's peaks; kept in memory while the queue is active).
    /// </summary>
    [Alias("GetHistory")]
    Task<IReadOnlyList<QueueTick>> GetHistoryAsync(int seconds);

    /// <summary>The conversations waiting in this queue's line, in the order they would be offered (at most <paramref
    /// name="limit"/>).</summary>
    [Alias("GetWaiting")]
    Task<IReadOnlyList<WaitingView>> GetWaitingAsync(int limit);
}
