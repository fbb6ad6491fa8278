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

    /// <summary>The agent accepted the offer: the reservation becomes an assignment. False if it holds none and has no room.</summary>
    [Alias("Confirm")]
    Task<bool> ConfirmAsync(string conversationId, string channel, string queueId);

    /// <summary>
    /// The offer ended without acceptance: <c>declined</c>, <c>timed-out</c> (counts towards missed offers) or
    /// <c>withdrawn</c>. Frees the slot.
    /// </summary>
    [Alias("ReleaseOffer")]
    Task ReleaseOfferAsync(string conversationId, string answer);

    /// <summary>The conversation was completed: its slot stays held for the wrap-up time.</summary>
    [Alias("BeginWrapUp")]
    Task BeginWrapUpAsync(string conversationId);

    /// <summary>The conversation left the agent (wrap-up over, transferred away): the slot is free.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string conversationId);

    /// <summary>Activates the agent so it reloads its state and takes work if it has room.</summary>
    [Alias("Wake")]
    Task WakeAsync();
}
