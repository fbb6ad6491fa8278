using Routing.Api.Auth;
using Routing.Contracts;
using Routing.Contracts.Access;

namespace Routing.Api.Conversations;

/// <summary>The body of <c>POST /api/conversations</c>: a contact from any channel.</summary>
public sealed record ConversationRequest(
    string? Channel,
    string? QueueId,
    CustomerDto? Customer,
    int? Priority,
    List<SkillStepDto>? Skills,
    Dictionary<string, string>? Attributes,
    string? Message
);

/// <summary>The customer; <c>tier</c> is standard (default), silver, gold or vip.</summary>
public sealed record CustomerDto(string? Id, string? Name, string? Tier);

/// <summary>One requirement step: minimum skill levels, for <c>seconds</c> (omit on the last step for "for ever").</summary>
public sealed record SkillStepDto(Dictionary<string, int>? Requirements, int? Seconds);

/// <summary>The agent acted for: an agent's own token names it (a body naming another is refused); an admin or a supervisor names it
/// here.</summary>
public sealed record AgentActionRequest(string? AgentId);

public sealed record MessageRequest(string? From, string? AgentId, string? Text);

public sealed record CompleteRequest(string? AgentId, string? Disposition);

/// <summary>Exactly one of <c>toQueueId</c> and <c>toAgentId</c>.</summary>
public sealed record TransferRequest(string? AgentId, string? ToQueueId, string? ToAgentId);

/// <summary>The customer's 1–5 and, optionally, what they want to say about it (docs/conversations.md, "Feedback routed back").</summary>
public sealed record RatingRequest(int? Score, string? Comment = null);

/// <summary>The body of <c>POST /api/conversations/{id}/whisper</c> (docs/supervision.md) and <c>/notes</c>: the note's words.</summary>
public sealed record NoteRequest(string? Text);

/// <summary>A supervisor moves a waiting conversation to another queue.</summary>
public sealed record MoveRequest(string? ToQueueId);

/// <summary>The body of <c>POST /api/conversations/{id}/resolve</c>: the article the bot gave that answered the customer.</summary>
public sealed record ResolveRequest(string? ArticleId);

/// <summary>
/// A conversation; <c>customerToken</c> (only in the answer to its creation) joins the customer hub; <c>wrapUpEndsAt</c>, while in
/// wrap-up, when its agent's slot is freed.
/// </summary>
public sealed record ConversationResponse(
    string Id,
    ConversationState State,
    string Channel,
    string QueueId,
    Customer Customer,
    int Priority,
    IReadOnlyList<SkillRequirementStep> Skills,
    IReadOnlyDictionary<string, string> Attributes,
    string? AgentId,
    DateTimeOffset CreatedAt,
    int? Position,
    double? EstimatedWaitSeconds,
    string? Unservable,
    IReadOnlyList<ConversationTransition> Timeline,
    IReadOnlyList<OfferRecord> Offers,
    IReadOnlyList<TranscriptMessage> Transcript,
    string? Disposition,
    int? Rating,
    IReadOnlyList<ConversationNote> Notes,
    DateTimeOffset? WrapUpEndsAt,
    string? CustomerToken = null
)
{
    /// <summary>
    /// The conversation as <paramref name="caller"/> may see it: its internal notes (docs/supervision.md) for supervisors
    /// and admins, those but the silent <c>monitor</c> for an agent, none for anyone else — a customer never reads them.
    /// </summary>
    public static ConversationResponse From(ConversationView c, Caller? caller) =>
        new(
            c.ConversationId,
            c.State,
            c.Channel,
            c.QueueId,
            c.Customer,
            c.Priority,
            c.Skills,
            c.Attributes,
            c.AgentId,
            c.CreatedAt,
            c.Position?.Position,
            c.Position?.EstimatedWaitSeconds,
            c.Position?.Unservable,
            c.Timeline,
            c.Offers,
            c.Transcript,
            c.Disposition,
            c.Rating,
            caller?.Role switch
            {
                StaffRoles.Admin or StaffRoles.Supervisor => c.Notes ?? [],
                StaffRoles.Agent => [.. (c.Notes ?? []).Where(n => n.ForAgent)],
                _ => [],
            },
            c.WrapUpEndsAt
        );
}

/// <summary>The customer of a conversation as the desk shows it (docs/conversations.md, "The customer at the desk").</summary>
public sealed record CustomerHistoryResponse(
    Customer Customer,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<PastConversation> Conversations
);
