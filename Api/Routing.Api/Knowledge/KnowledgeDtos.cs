using Routing.Contracts.Knowledge;

namespace Routing.Api.Knowledge;

/// <summary>
/// The body of <c>PUT /api/knowledge/articles/{articleId}</c>: every field but <c>title</c>, <c>answer</c> and
/// <c>language</c> has a default. With <c>version</c>, the change is refused (409 <c>version-conflict</c>) unless it is
/// the article's current version (0 for one that does not exist yet).
/// </summary>
public sealed record ArticleRequest(
    string? Title,
    List<string?>? Questions,
    string? Answer,
    string? Topic,
    string? Language,
    List<string?>? Tags,
    bool? Enabled,
    long? Version
);

/// <summary>An article, in its current version.</summary>
public sealed record ArticleResponse(
    string Id,
    string Title,
    IReadOnlyList<string> Questions,
    string Answer,
    string? Topic,
    string Language,
    IReadOnlyList<string> Tags,
    bool Enabled,
    long Version,
    DateTimeOffset UpdatedAt,
    string? UpdatedBy,
    bool Deleted
)
{
    public static ArticleResponse From(KnowledgeArticle a) =>
        new(
            a.ArticleId,
            a.Title,
            a.Questions,
            a.Answer,
            a.Topic,
            a.Language,
            a.Tags,
            a.Enabled,
            a.Version,
            a.UpdatedAt,
            a.UpdatedBy,
            a.Deleted
        );
}

/// <summary>One answer of a search: the article, how it ranks, and whether it is a good match for the question.</summary>
public sealed record SearchHitResponse(ArticleResponse Article, double Score, double Coverage, bool GoodMatch)
{
    public static SearchHitResponse From(KnowledgeHit h) => new(ArticleResponse.From(h.Article), h.Score, h.Coverage, h.GoodMatch);
}

/// <summary>What an import did: the articles it created or changed, and those it found unchanged.</summary>
public sealed record ImportResponse(int Imported, int Unchanged, IReadOnlyList<string> ArticleIds);

/// <summary>The questions the self-service step could not answer in [<see cref="From"/>, <see cref="To"/>), oldest first.</summary>
public sealed record UnansweredReportResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UnansweredQuestionResponse> Questions);

/// <summary>One of them: when it was escalated, from which queue, and the customer's words.</summary>
public sealed record UnansweredQuestionResponse(string ConversationId, string QueueId, DateTimeOffset At, string? Text)
{
    public static UnansweredQuestionResponse From(UnansweredQuestion q) => new(q.ConversationId, q.QueueId, q.At, q.Text);
}
