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

/// <summary>
/// A conversation waiting in a queue's line as a supervisor sees it: who, how long, what it asks for and which
/// step of its requirements is in force (<see cref="Step"/>, 0-based), who declined or missed it, and why no agent
/// could ever serve it (<see cref="Unservable"/>). <see cref="Offering"/>: an offer is out right now.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.WaitingView")]
public sealed record WaitingView(
    string ConversationId,
    string Channel,
    string? CustomerName,
    string? Tier,
    int Priority,
    DateTimeOffset WaitingSince,
    IReadOnlyList<SkillRequirementStep> Skills,
    int Step,
    IReadOnlyList<string> ExcludedAgents,
    string? Unservable,
    bool Offering
)
{
    /// <summary>Without the customer's name (see <see cref="Customer"/>).</summary>
    public override string ToString() =>
        $"WaitingView {{ ConversationId = {ConversationId}, Channel = {Channel}, Tier = {Tier}, Step = {Step}, Offering = {Offering} }}";
}

/// <summary>One second of a queue's history, for the supervisors' charts.</summary>
[GenerateSerializer, Immutable, Alias("routing.QueueTick")]
public sealed record QueueTick(DateTimeOffset At, int Waiting, double LongestWaitSeconds, double? ServiceLevelPercent);

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

/// <summary>The live figures of one queue (docs/routing.md, "Statistics").</summary>
[GenerateSerializer, Immutable, Alias("routing.QueueStats")]
public sealed record QueueStats(
    string QueueId,
    DateTimeOffset At,
    int Waiting,
    double LongestWaitSeconds,
    int Unservable,
    int AgentsAvailable,
    int AgentsBusy,
    int AgentsAway,
    int AgentsOffline,
    int Offered,
    int Connected,
    int Abandoned,
    int Completed,
    double? ServiceLevelPercent,
    double? AverageSpeedOfAnswerSeconds,
    double? AverageHandleTimeSeconds,
    double? EstimatedWaitSeconds,
    int WindowSeconds,
    int Deflected = 0,
    int Escalated = 0,
    bool Closed = false
);
