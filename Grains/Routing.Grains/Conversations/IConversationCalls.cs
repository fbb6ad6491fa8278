using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// What a conversation asks of its agents and its queues, and tells them, kept apart so that what it tells whom, in which
/// order (<see cref="ConversationParties"/>), runs without a silo and is tested with a fake: <see cref="ConversationCalls"/>
/// makes these calls for <see cref="ConversationGrain"/>. Those marked quiet follow a step already written: a party that
/// cannot be reached then costs what it would have heard, never the answer to the step; the others fail as they fail.
/// </summary>
internal interface IConversationCalls
{
    /// <summary>Asks the agent to reserve a slot for the offer of the conversation, until <paramref name="expiresAt"/>,
    /// through <paramref name="viaQueueId"/>: as one of its queues does (<paramref name="direct"/> false) or as a transfer.</summary>
    Task<SlotReservation> ReserveAsync(string agentId, ConversationRecord record, string viaQueueId, DateTimeOffset expiresAt, bool direct);

    /// <summary>Has the agent take the slot of its offer for the accept; null when the offer has expired there.</summary>
    Task<AgentView?> ConfirmAsync(string agentId, ConversationRecord record);

    /// <summary>Quiet: tells the agent that the accept is written, so its clients hear the conversation is theirs.</summary>
    Task TellConnectedAsync(string agentId, ConversationRecord record);

    /// <summary>Tells the agent that the conversation is in wrap-up.</summary>
    Task BeginWrapUpAsync(string agentId);

    /// <summary>Frees the agent's slot: the conversation is now <paramref name="state"/>, for <paramref name="reason"/>.</summary>
    Task ReleaseAsync(string agentId, ConversationState state, string? reason);

    /// <summary>Tells the agent its offer ended with <paramref name="answer"/>.</summary>
    Task ReleaseOfferAsync(string agentId, string answer);

    /// <summary>Quiet: <see cref="ReleaseOfferAsync"/>, when the line matters more than the agent hearing it.</summary>
    Task ReleaseOfferQuietlyAsync(string agentId, string answer);

    /// <summary>Tells the agent's clients, without waiting.</summary>
    void Notify(string agentId, AgentNotification notification);

    /// <summary>The agent's name, for the customers; null if the agent is not defined.</summary>
    Task<string?> AgentNameAsync(string agentId);

    /// <summary>Puts the conversation in its queue's line, as an arrival or back in its place.</summary>
    Task<QueuePosition> EnqueueAsync(ConversationRecord record, bool isArrival);

    /// <summary>Takes the conversation out of the queue's line.</summary>
    Task RemoveAsync(string queueId);

    /// <summary>The conversation's place in the queue's line; null when that queue does not hold it.</summary>
    Task<QueuePosition?> PositionAsync(string queueId);

    /// <summary>The queue a transfer or a move names must be defined: one that is not is a 404 on its field.</summary>
    Task RequireQueueAsync(string queueId);

    /// <summary>The queue's definition, fetched once per activation (and again for another queue).</summary>
    Task<QueueDefinition?> QueueDefinitionAsync(string queueId);

    /// <summary>Has the queue report (or stop reporting) the conversation's place in line.</summary>
    Task WatchAsync(string queueId, bool watching);

    /// <summary>Quiet: the queue counts, for its statistics, an accept after <paramref name="waited"/>.</summary>
    Task RecordConnectedAsync(string queueId, TimeSpan waited);

    /// <summary>Quiet: the queue counts a completion after <paramref name="handled"/>.</summary>
    Task RecordCompletedAsync(string queueId, TimeSpan handled);

    /// <summary>Quiet: the queue counts an abandonment after <paramref name="waited"/>.</summary>
    Task RecordAbandonedAsync(string queueId, TimeSpan waited);
}
