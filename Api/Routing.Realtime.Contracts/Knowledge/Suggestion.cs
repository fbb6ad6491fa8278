namespace Routing.Contracts.Knowledge;

/// <summary>
/// An answer offered to a customer while they type in the self-service step (docs/self-service.md, "Suggestions as the
/// customer types"): the article's id and the question it answers. Taking it asks that question, which the assistant
/// answers with the article.
/// </summary>
public sealed record Suggestion(string ArticleId, string Title);
