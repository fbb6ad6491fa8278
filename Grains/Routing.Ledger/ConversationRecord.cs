using Routing.Contracts;

namespace Routing.Ledger;

/// <summary>
/// A conversation as the ledger keeps it. <see cref="AgentId"/> is the agent it is offered to, connected with or
/// wrapping up with; <see cref="Arrival"/> orders conversations created at the same instant.
/// <see cref="Timeline"/>, <see cref="Transcript"/> and <see cref="Notes"/> (internal, docs/supervision.md) are filled only
/// when one conversation is read whole.
/// <see cref="RequestHash"/> is set when the conversation was created under an idempotency key: the fingerprint of
/// the request that created it, so a retry with the same key is told apart from a different request reusing it.
/// <see cref="WaitingSince"/> is when it entered the line for a person: its creation, or its escalation from the
/// self-service step (docs/self-service.md); null while it is still in self-service. Its place in line and the wait
/// a report measures count from it.
/// </summary>
public sealed record ConversationRecord(
    string ConversationId,
    ConversationState State,
    string Channel,
    string QueueId,
    Customer Customer,
    int Priority,
    IReadOnlyList<SkillRequirementStep> Skills,
    IReadOnlyDictionary<string, string> Attributes,
    string? AgentId,
    DateTimeOffset CreatedAt,
    long Arrival,
    IReadOnlyList<string> ExcludedAgents,
    IReadOnlyList<OfferRecord> Offers,
    DateTimeOffset? ConnectedAt,
    DateTimeOffset? WrapUpEndsAt,
    DateTimeOffset? EndedAt,
    string? Disposition,
    int? Rating,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ConversationTransition> Timeline,
    IReadOnlyList<TranscriptMessage> Transcript,
    string? RequestHash = null,
    DateTimeOffset? WaitingSince = null,
    IReadOnlyList<ConversationNote>? Notes = null
)
{
    /// <summary>When the wait for a person began: <see cref="WaitingSince"/>, or the creation for a record from before it was
    /// kept.</summary>
    public DateTimeOffset WaitStart => WaitingSince ?? CreatedAt;
}

/// <summary>
/// One write of a conversation: its new row, plus what it appends to the timeline, the transcript and the notes.
/// <see cref="Previous"/> is the last transition already written, when the writer knows it (a grain holds its
/// timeline): the report totals need it to time a talk or a wrap-up, and the ledger reads it when it is missing.
/// </summary>
public sealed record ConversationChange(
    ConversationRecord Conversation,
    IReadOnlyList<ConversationTransition> NewTransitions,
    IReadOnlyList<TranscriptMessage> NewMessages,
    ConversationTransition? Previous = null,
    IReadOnlyList<ConversationNote>? NewNotes = null
);
