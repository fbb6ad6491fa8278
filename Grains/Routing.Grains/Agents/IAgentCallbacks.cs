using Routing.Contracts;

namespace Routing.Grains.Agents;

/// <summary>
/// What the grains ask of an agent among themselves — the conversations offering it work and connecting it, its own
/// alarms, and the recovery after a restart — apart from <see cref="IAgentGrain"/>, the contract the API and the
/// hubs use (docs/architecture.md). A grain reference of this interface and one of <see cref="IAgentGrain"/> with
/// the same key reach the same grain.
/// </summary>
[Alias("routing.IAgentCallbacks")]
public interface IAgentCallbacks : IAgentGrain
{
    /// <summary>Reserves a slot for an offer if the agent is available, serves the queue and has room.</summary>
    [Alias("Reserve")]
    Task<SlotReservation> ReserveAsync(ReserveSlot request);

    /// <summary>A direct transfer: reserves a slot if the agent is available and has room, whatever its queues.</summary>
    [Alias("ReserveDirect")]
    Task<SlotReservation> ReserveDirectAsync(ReserveSlot request);

    /// <summary>
    /// The agent accepted the offer: the reservation becomes an assignment, held but not yet announced. Returns
    /// the agent (for its display name), or null when it holds no such offer and has no room for it. The
    /// conversation then writes itself Connected and says so with <see cref="ConnectedAsync"/>; an assignment it
    /// never confirms is checked with the conversation after a grace period, and freed if it does not hold it.
    /// </summary>
    [Alias("Confirm")]
    Task<AgentView?> ConfirmAsync(string conversationId, string channel, string queueId);

    /// <summary>
    /// The conversation is written Connected with this agent: the assignment is durable and the agent's clients
    /// are told. Said again, it only tells them again.
    /// </summary>
    [Alias("Connected")]
    Task ConnectedAsync(string conversationId, string channel, string queueId);

    /// <summary>
    /// The offer ended without acceptance: <c>declined</c>, <c>timed-out</c> (counts towards missed offers) or
    /// <c>withdrawn</c>. Frees the slot.
    /// </summary>
    [Alias("ReleaseOffer")]
    Task ReleaseOfferAsync(string conversationId, string answer);

    /// <summary>The conversation was completed: its slot stays held for the wrap-up time.</summary>
    [Alias("BeginWrapUp")]
    Task BeginWrapUpAsync(string conversationId);

    /// <summary>
    /// The conversation left the agent — wrap-up over (<paramref name="state"/> Completed) or transferred away —
    /// and the slot is free. The agent's clients are told the new state and why.
    /// </summary>
    [Alias("Release")]
    Task ReleaseAsync(string conversationId, ConversationState state, string? reason);

    /// <summary>The presence grace begun under <paramref name="token"/> ran out, or connections may have gone stale.</summary>
    [Alias("PresenceCheck")]
    Task PresenceCheckAsync(long token);

    /// <summary>The alarm for assignments not confirmed in time, set under <paramref name="token"/>, is due.</summary>
    [Alias("AssignmentCheck")]
    Task AssignmentCheckAsync(long token);

    /// <summary>
    /// The answer to check <paramref name="check"/>: the conversation is in <paramref name="state"/> (null when it
    /// does not exist) with <paramref name="holder"/>. An assignment the conversation does not hold is freed.
    /// </summary>
    [Alias("AssignmentChecked")]
    Task AssignmentCheckedAsync(string conversationId, long check, ConversationState? state, string? holder);

    /// <summary>Activates the agent so it reloads its state and takes work if it has room.</summary>
    [Alias("Wake")]
    Task WakeAsync();
}
