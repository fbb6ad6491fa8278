using Routing.Contracts.Realtime;

namespace Routing.Contracts;

/// <summary>
/// An agent, keyed <c>{workspace}/{agentId}</c>: the authority on its status and capacity. A slot is reserved
/// for an offer only if this grain says so, so no agent ever holds more than its capacity.
/// </summary>
[Alias("routing.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the agent's definition; a new agent starts Offline.</summary>
    [Alias("Define")]
    Task<AgentView> DefineAsync(AgentDefinition definition);

    /// <summary>The agent, or null when it was never defined.</summary>
    [Alias("Get")]
    Task<AgentView?> GetAsync();

    /// <summary>Sets Available, Away (with a reason) or Offline. Leaving Available withdraws pending offers.</summary>
    [Alias("SetStatus")]
    Task<AgentView> SetStatusAsync(AgentStatus status, string? reason);

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

    /// <summary>A realtime connection of the agent opened in the silo of <paramref name="relay"/>.</summary>
    [Alias("Connect")]
    Task ConnectAsync(string connectionId, IRealtimeRelay relay);

    /// <summary>
    /// A realtime connection closed. When the last one has gone, the agent is set Offline after the presence
    /// grace period unless it reconnects, and its pending offers go back in line.
    /// </summary>
    [Alias("Disconnect")]
    Task DisconnectAsync(string connectionId);

    /// <summary>The relay of a silo says these connections are still open; connections not renewed in time are dropped.</summary>
    [Alias("Renew")]
    Task RenewAsync(IReadOnlyList<string> connectionIds, IRealtimeRelay relay);

    /// <summary>Something for the agent's clients (a customer's message), delivered to every connection.</summary>
    [Alias("Notify"), Orleans.Concurrency.OneWay]
    Task NotifyAsync(AgentNotification notification);

    /// <summary>The agent's view with the full notice of each pending offer, for a client (re)connecting.</summary>
    [Alias("GetSnapshot")]
    Task<AgentSnapshot> GetSnapshotAsync();

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
