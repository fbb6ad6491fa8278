namespace Routing.Contracts;

/// <summary>
/// One of a customer's conversations as the desk shows it beside a new one (docs/conversations.md, "The customer at the
/// desk"): when, where, with whom, how it ended, the customer's rating, and the last private note written on it.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.PastConversation")]
public sealed record PastConversation(
    string ConversationId,
    ConversationState State,
    string Channel,
    string QueueId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    string? AgentId,
    string? Disposition,
    int? Rating,
    string? Note
)
{
    /// <summary>Without the note's words (see <see cref="Customer"/>).</summary>
    public override string ToString() => $"PastConversation {{ ConversationId = {ConversationId}, State = {State} }}";
}
