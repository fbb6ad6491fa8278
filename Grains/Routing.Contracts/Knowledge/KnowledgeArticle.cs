namespace Routing.Contracts.Knowledge;

/// <summary>
/// One article of a workspace's knowledge base (docs/self-service.md): the question it answers, put in the words
/// customers use (<see cref="Questions"/>, its variants), and the answer — plain text with links. Written by admins,
/// searched by customers before a person is needed and by agents for a reply. Every change makes a new
/// <see cref="Version"/>, and the ledger keeps each one.
/// </summary>
/// <param name="ArticleId">The article's id in its workspace (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</param>
/// <param name="Title">The question as the knowledge team names it.</param>
/// <param name="Questions">Other ways customers ask it; searched beside the title.</param>
/// <param name="Answer">What the customer is told, or the agent inserts.</param>
/// <param name="Topic">The chat topic or subject it belongs to, if any; reports count by it.</param>
/// <param name="Language"><c>zh</c> or <c>en</c>: how it is analysed for search.</param>
/// <param name="Tags">Free labels for the knowledge team.</param>
/// <param name="Enabled">Whether it is found; a disabled article is kept, with its history, but never answered.</param>
/// <param name="Version">1 for the first version, one more for each change (a deletion included).</param>
/// <param name="UpdatedAt">When this version was made.</param>
/// <param name="UpdatedBy">Who made it (the admin's account), when known.</param>
/// <param name="Deleted">Whether this version deletes the article: its history stays, and its id may be used again.</param>
[GenerateSerializer, Immutable, Alias("routing.KnowledgeArticle")]
public sealed record KnowledgeArticle(
    string ArticleId,
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
    bool Deleted = false
)
{
    public const string Chinese = "zh";

    public const string English = "en";

    public static IReadOnlyList<string> Languages { get; } = [Chinese, English];
}
