using Routing.Contracts;

namespace Routing.Grains.Queues;

/// <summary>
/// What a queue's matching asks of the rest of the cluster, kept apart so that <see cref="QueueMatching"/> runs without a
/// silo (and is property-tested with a fake): <see cref="MatchingCalls"/> makes these calls for <see cref="QueueGrain"/>.
/// Each returns at once; an answer comes back through its callback, on the queue's own turn.
/// </summary>
internal interface IMatchingCalls
{
    /// <summary>
    /// Asks the conversation to reserve a slot of the agent and take the offer (docs/routing.md, rule 5).
    /// <paramref name="answered"/> gets what the attempt came to, or null when it failed outright.
    /// </summary>
    void Offer(string conversationId, string agentId, int timeoutSeconds, Action<OfferAttempt?> answered);

    /// <summary>Puts the conversation in the overflow queue's line too; <paramref name="failed"/> runs if that failed.</summary>
    void Overflow(QueueTicket ticket, string overflowQueueId, Action failed);

    /// <summary>Takes the conversation out of another queue's line (the one it overflowed into, or came from).</summary>
    void Release(string otherQueueId, string conversationId);

    /// <summary>Wakes the queue at <paramref name="at"/> (<see cref="IQueueCallbacks.TickAsync"/>), in place of any time set.</summary>
    void WakeAt(DateTimeOffset at);
}
