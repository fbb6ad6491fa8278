using Routing.Contracts;

namespace Routing.Grains.Conversations;

/// <summary>
/// What the grains ask of a conversation among themselves — the queues offering it, its agent withdrawing an offer,
/// its own alarms, and the recovery after a restart — apart from <see cref="IConversationGrain"/>, the contract the
/// API and the hubs use (docs/architecture.md). A grain reference of this interface and one of <see
/// cref="IConversationGrain"/> with the same key reach the same grain.
/// </summary>
[Alias("routing.IConversationCallbacks")]
public interface IConversationCallbacks : IConversationGrain
{
    /// <summary>Called by a queue: offer the conversation to the agent, if it still waits and the agent has room.</summary>
    [Alias("OfferTo")]
    Task<OfferAttempt> OfferToAsync(string agentId, string viaQueueId, int offerTimeoutSeconds);

    /// <summary>The offer made under <paramref name="offerToken"/> was not answered in time.</summary>
    [Alias("OfferExpired")]
    Task OfferExpiredAsync(long offerToken);

    /// <summary>The wrap-up begun under <paramref name="token"/> is over.</summary>
    [Alias("WrapUpEnded")]
    Task WrapUpEndedAsync(long token);

    /// <summary>The agent the conversation was offered to left Available; the offer goes back to line.</summary>
    [Alias("OfferWithdrawn"), Orleans.Concurrency.OneWay]
    Task OfferWithdrawnAsync(string agentId);

    /// <summary>The queue's new figure for this conversation's place in line, for its watching customers.</summary>
    [Alias("PositionChanged"), Orleans.Concurrency.OneWay]
    Task PositionChangedAsync(QueuePosition position);

    /// <summary>
    /// Called by its queue's line check: ends the conversation (Abandoned, <c>self-service-idle</c>) if it is in the
    /// self-service step with nothing written for <c>Routing:SelfServiceIdleSeconds</c>; true when it did.
    /// </summary>
    [Alias("EndIfIdle")]
    Task<bool> EndIfIdleAsync();

    /// <summary>Activates the conversation so it re-arms its timers after a restart.</summary>
    [Alias("Wake")]
    Task WakeAsync();
}
