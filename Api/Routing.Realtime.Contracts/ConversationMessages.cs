namespace Routing.Contracts;

/// <summary>
/// The customer as the business knows it; <see cref="Tier"/> is standard, silver, gold or vip.
/// </summary>
/// <remarks>
/// This record and the others that carry what people are called or write print without it: a log at any level
/// may print a wire object (Orleans' message traces print each call's result), and such a log must not hold them.
/// </remarks>
public sealed record Customer(string Id, string? Name, string Tier)
{
    public override string ToString() => $"Customer {{ Id = {Id}, Tier = {Tier} }}";
}

/// <summary>One skill step: minimum levels, applying for <see cref="Seconds"/> (null: for ever).</summary>
public sealed record SkillRequirementStep(IReadOnlyDictionary<string, int> Requirements, int? Seconds);

/// <summary>A stamped step of the timeline: the state entered, when, and who or what caused it.</summary>
public sealed record ConversationTransition(ConversationState State, DateTimeOffset At, string? AgentId, string? QueueId, string? Reason);

/// <summary>
/// One line of a chat or social transcript; <see cref="Sequence"/> orders them within the conversation. <see cref="From"/>
/// is <c>customer</c>, <c>agent</c> (with its <see cref="AgentId"/>), <c>bot</c>: the self-service step's answer, with
/// the <see cref="ArticleId"/> of the knowledge article it gives (docs/self-service.md), or <c>supervisor</c>: one who
/// barged in (docs/supervision.md), named in <see cref="AgentId"/>. Everything in it is the customer's to see.
/// </summary>
public sealed record TranscriptMessage(
    long Sequence,
    DateTimeOffset At,
    string From,
    string? AgentId,
    string Text,
    string? ArticleId = null
)
{
    /// <summary>Without the words (see <see cref="Customer"/>).</summary>
    public override string ToString() => $"TranscriptMessage {{ Sequence = {Sequence}, At = {At:O}, From = {From}, AgentId = {AgentId} }}";
}

/// <summary>
/// An internal entry of a conversation, never shown or sent to its customer (docs/supervision.md): a supervisor's
/// <c>whisper</c> to the agent (with its <see cref="Text"/>), a supervision step — <c>monitor</c> (a supervisor opened the
/// conversation live; the agent is not told) or <c>barge-in</c> (a supervisor joined it visibly) — or a private <c>note</c>
/// its agent or a supervisor keeps on it (docs/conversations.md, "The customer at the desk"). <see cref="By"/> is who wrote
/// it. Notes are numbered on their own, 1, 2, …, so the customer's transcript has no gaps where they sit; their
/// times place them among its messages.
/// </summary>
public sealed record ConversationNote(long Sequence, DateTimeOffset At, string Kind, string By, string Text)
{
    public const string Monitor = "monitor";
    public const string Whisper = "whisper";
    public const string BargeIn = "barge-in";
    public const string Private = "note";

    /// <summary>The customer's comment with their rating (by <c>customer</c>).</summary>
    public const string Feedback = "feedback";

    /// <summary>The follow-up a low rating opened (its id as the text; by <c>system</c>).</summary>
    public const string FollowUp = "follow-up";

    /// <summary>Whether the agent holding the conversation sees it: all but <c>monitor</c>, which is silent.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ForAgent => Kind != Monitor;

    /// <summary>Without the words (see <see cref="Customer"/>).</summary>
    public override string ToString() => $"ConversationNote {{ Sequence = {Sequence}, At = {At:O}, Kind = {Kind}, By = {By} }}";
}

/// <summary>
/// How an offer ended: accepted, declined, timed-out, withdrawn (agent left), expired, lost (with its silo), or still
/// pending; <see cref="ExpiresAt"/> is its deadline, which an agent rebuilding its slots from the ledger honours.
/// </summary>
public sealed record OfferRecord(
    string AgentId,
    DateTimeOffset OfferedAt,
    string Answer,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? ExpiresAt = null
);

/// <summary>
/// Where a waiting conversation stands: how many are ahead and the estimated wait; while its queue is closed, when it opens
/// (<see cref="OpensAt"/>), the wait counting the closed time up to then (docs/routing.md, "Business hours").
/// </summary>
public sealed record QueuePosition(int Position, double? EstimatedWaitSeconds, string? Unservable, DateTimeOffset? OpensAt = null);

/// <summary>Everything about one conversation (docs/api.md, <c>GET /api/conversations/{id}</c>).</summary>
public sealed record ConversationView(
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
    QueuePosition? Position,
    IReadOnlyList<ConversationTransition> Timeline,
    IReadOnlyList<OfferRecord> Offers,
    IReadOnlyList<TranscriptMessage> Transcript,
    string? Disposition,
    int? Rating,
    bool Replayed = false,
    IReadOnlyList<ConversationNote>? Notes = null,
    DateTimeOffset? WrapUpEndsAt = null
);
