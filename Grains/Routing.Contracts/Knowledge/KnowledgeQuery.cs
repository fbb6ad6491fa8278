namespace Routing.Contracts.Knowledge;

/// <summary>A question put to the knowledge base: its text, and optionally the language and topic answers must have.</summary>
[GenerateSerializer, Immutable, Alias("routing.KnowledgeQuery")]
public sealed record KnowledgeQuery(string Text, string? Language = null, string? Topic = null, int Limit = 5)
{
    /// <summary>The most answers one search returns.</summary>
    public const int MaxLimit = 20;

    /// <summary>Without the question's text: what customers write stays out of the logs.</summary>
    public override string ToString() => $"KnowledgeQuery {{ Language = {Language}, Topic = {Topic}, Limit = {Limit} }}";
}

/// <summary>
/// An article found for a question: <see cref="Score"/> orders the hits; <see cref="Coverage"/> (0–1) says how much of
/// the question the article's title and questions hold, comparable across questions, so a hit can be judged a good
/// match or not (<see cref="GoodMatch"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.KnowledgeHit")]
public sealed record KnowledgeHit(KnowledgeArticle Article, float Score, double Coverage)
{
    /// <summary>
    /// How much of a question an answer must cover to count as a good match: shown to a customer as the answer, and
    /// the question not reported as one the knowledge base could not answer (docs/self-service.md).
    /// </summary>
    public const double GoodCoverage = 0.5;

    public bool GoodMatch => Coverage >= GoodCoverage;
}

/// <summary>
/// A question the self-service step could not answer (docs/self-service.md): the customer's last message before the
/// conversation was escalated for want of a good match, when, and in which queue — what the knowledge team reads.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.UnansweredQuestion")]
public sealed record UnansweredQuestion(string ConversationId, string QueueId, DateTimeOffset At, string? Text)
{
    /// <summary>Without the question's text: what customers write stays out of the logs.</summary>
    public override string ToString() => $"UnansweredQuestion {{ ConversationId = {ConversationId}, QueueId = {QueueId}, At = {At:O} }}";
}
