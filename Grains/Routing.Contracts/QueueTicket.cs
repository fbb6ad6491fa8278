namespace Routing.Contracts;

/// <summary>
/// A conversation's place in a line: what the queue needs to order and match it. <see cref="WaitingSince"/> is
/// the original creation time and <see cref="Arrival"/> the creation order, kept across declines, timeouts and
/// transfers so the conversation goes back to its place. <see cref="ExcludedAgents"/> declined or missed it.
/// The customer's display name and tier are carried for supervisors' view of the line, not for matching.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.QueueTicket")]
public sealed record QueueTicket(
    string ConversationId,
    string QueueId,
    string Channel,
    int Priority,
    DateTimeOffset WaitingSince,
    long Arrival,
    IReadOnlyList<SkillRequirementStep> Skills,
    IReadOnlyList<string> ExcludedAgents,
    string? CustomerName = null,
    string? Tier = null
)
{
    /// <summary>Without the customer's name (see <see cref="Customer"/>).</summary>
    public override string ToString() =>
        $"QueueTicket {{ ConversationId = {ConversationId}, QueueId = {QueueId}, Channel = {Channel}, Priority = {Priority}, Arrival = "
        + $"{Arrival}, Tier = {Tier} }}";
}

/// <summary>What a queue's attempt to offer a conversation to an agent came to.</summary>
[GenerateSerializer, Alias("routing.OfferOutcome")]
public enum OfferOutcome
{
    /// <summary>The agent's slot is reserved and the offer is out.</summary>
    Offered = 0,

    /// <summary>The conversation no longer waits (connected elsewhere, offered via another queue, abandoned).</summary>
    NotWaiting = 1,

    /// <summary>The agent refused the reservation (no longer available, no room); the conversation keeps its place.</summary>
    AgentRefused = 2,
}

/// <summary>The answer to an offer attempt, with the agent's current availability when it refused.</summary>
[GenerateSerializer, Immutable, Alias("routing.OfferAttempt")]
public sealed record OfferAttempt(OfferOutcome Outcome, AgentAvailability? Agent);

/// <summary>A slot asked of an agent for a conversation: the request, the offer's deadline and what the desk will show.</summary>
[GenerateSerializer, Immutable, Alias("routing.ReserveSlot")]
public sealed record ReserveSlot(
    string ConversationId,
    string Channel,
    string QueueId,
    DateTimeOffset ExpiresAt,
    Realtime.OfferNotice? Notice = null
);

/// <summary>The agent's answer to <see cref="ReserveSlot"/>: reserved or not, and its availability afterwards.</summary>
[GenerateSerializer, Immutable, Alias("routing.SlotReservation")]
public sealed record SlotReservation(bool Reserved, string? Reason, AgentAvailability Agent);
