namespace Routing.Contracts.Realtime;

/// <summary>
/// An offer as the agent's desk shows it: who is waiting (display name and tier), on which channel and queue,
/// what skills were asked for, how long they have waited and until when the offer stands.
/// </summary>
public sealed record OfferNotice(
    string ConversationId,
    string Channel,
    string QueueId,
    string? CustomerName,
    string Tier,
    IReadOnlyList<SkillRequirementStep> Skills,
    DateTimeOffset WaitingSince,
    DateTimeOffset ExpiresAt
)
{
    /// <summary>Without the customer's name (see <see cref="Customer"/>).</summary>
    public override string ToString() =>
        $"OfferNotice {{ ConversationId = {ConversationId}, Channel = {Channel}, QueueId = {QueueId}, Tier = {Tier}, ExpiresAt = "
        + $"{ExpiresAt:O} }}";
}

/// <summary>
/// A conversation the agent holds, with the transcript after the last message its client saw; in wrap-up, when the wrap-up
/// ends (<see cref="WrapUpEndsAt"/>).
/// </summary>
public sealed record AgentConversation(
    string ConversationId,
    ConversationState State,
    string Channel,
    string QueueId,
    Customer Customer,
    DateTimeOffset CreatedAt,
    IReadOnlyList<TranscriptMessage> Transcript,
    IReadOnlyList<ConversationNote>? Notes = null,
    DateTimeOffset? WrapUpEndsAt = null
);

/// <summary>Everything an agent's client needs after (re)connecting: status, pending offers, conversations.</summary>
public sealed record AgentSnapshot(AgentView Agent, IReadOnlyList<OfferNotice> Offers, IReadOnlyList<AgentConversation> Conversations);

/// <summary>Everything a customer's widget needs after (re)connecting; the agent appears by display name only.</summary>
public sealed record CustomerSnapshot(
    string ConversationId,
    ConversationState State,
    QueuePosition? Position,
    string? AgentName,
    IReadOnlyList<TranscriptMessage> Transcript,
    int? Rating,
    string? Supervisor = null
)
{
    /// <summary>Without the agent's name (see <see cref="Customer"/>).</summary>
    public override string ToString() =>
        $"CustomerSnapshot {{ ConversationId = {ConversationId}, State = {State}, Messages = {Transcript.Count} }}";
}

/// <summary>A supervisor's starting picture: every queue's statistics and last hour, and every agent.</summary>
public sealed record SupervisorSnapshot(
    IReadOnlyList<QueueStats> Queues,
    IReadOnlyList<AgentView> Agents,
    IReadOnlyDictionary<string, IReadOnlyList<QueueTick>> History
);
