using Routing.Contracts.Knowledge;

namespace Routing.Knowledge;

/// <summary>A question put to the knowledge base: its text, and optionally the language and topic answers must have.</summary>
public sealed record KnowledgeQuery(string Text, string? Language = null, string? Topic = null, int Limit = 5)
{
    /// <summary>The most answers one search returns.</summary>
    public const int MaxLimit = 20;
}

/// <summary>
/// An article found for a question: Lucene's <see cref="Score"/> orders the hits; <see cref="Coverage"/> (0–1) says
/// how much of the question the article's title and questions hold, comparable across questions, so a hit can be
/// judged good or not.
/// </summary>
public sealed record KnowledgeHit(KnowledgeArticle Article, float Score, double Coverage);
