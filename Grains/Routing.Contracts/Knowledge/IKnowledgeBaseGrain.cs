namespace Routing.Contracts.Knowledge;

/// <summary>
/// A workspace's knowledge base, the one writer of its articles (keyed by the workspace): each change gets the next
/// version and is written to the ledger before it is answered, one at a time, so every silo's search sees changes in
/// the order they were made (docs/self-service.md).
/// </summary>
public interface IKnowledgeBaseGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the article or makes a new version of it. With <see cref="KnowledgeArticleDraft.ExpectedVersion"/>, refused
    /// (409 <c>version-conflict</c>) unless that is the current version — an editor's change never overwrites another's.
    /// </summary>
    Task<KnowledgeSaved> SaveAsync(KnowledgeArticleDraft draft, string? by);

    /// <summary>
    /// Saves many articles at once (an import): each that differs from its current version gets a new one, written
    /// together; the rest are left as they are.
    /// </summary>
    Task<IReadOnlyList<KnowledgeSaved>> ImportAsync(IReadOnlyList<KnowledgeArticleDraft> drafts, string? by);

    /// <summary>The current, not deleted articles, by id.</summary>
    Task<IReadOnlyList<KnowledgeArticle>> ListAsync();

    /// <summary>The article's current version, or null when there is none (never made, or deleted).</summary>
    Task<KnowledgeArticle?> GetAsync(string articleId);

    /// <summary>Every version the article had, oldest first (a deletion included); empty when it never existed.</summary>
    Task<IReadOnlyList<KnowledgeArticle>> HistoryAsync(string articleId);

    /// <summary>Deletes the article (a last version that says so; its history stays); false when there was none.</summary>
    Task<bool> DeleteAsync(string articleId, string? by);
}

/// <summary>
/// The article search on this silo (docs/self-service.md, "Search"): a stateless worker, so each silo answers from its
/// own index without a hop to another.
/// </summary>
public interface IKnowledgeSearchGrain : IGrainWithStringKey
{
    Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query);

    /// <summary>Brings this silo's index up to the ledger now, so a change just made is found at once.</summary>
    Task RefreshAsync();
}

/// <summary>
/// An article as saved; whether saving it made a new version (false: it said what the current one says), and whether
/// that version made the article (it had none, or it had been deleted).
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.KnowledgeSaved")]
public sealed record KnowledgeSaved(KnowledgeArticle Article, bool Changed, bool Created);

/// <summary>A validated article as an editor sends it; the knowledge base gives it its version.</summary>
[GenerateSerializer, Immutable, Alias("routing.KnowledgeArticleDraft")]
public sealed record KnowledgeArticleDraft(
    string ArticleId,
    string Title,
    IReadOnlyList<string> Questions,
    string Answer,
    string? Topic,
    string Language,
    IReadOnlyList<string> Tags,
    bool Enabled,
    long? ExpectedVersion
)
{
    /// <summary>Whether <paramref name="article"/> says all this draft says (its version and who made it aside).</summary>
    public bool SameAs(KnowledgeArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return !article.Deleted
            && article.ArticleId == ArticleId
            && article.Title == Title
            && article.Questions.SequenceEqual(Questions)
            && article.Answer == Answer
            && article.Topic == Topic
            && article.Language == Language
            && article.Tags.SequenceEqual(Tags)
            && article.Enabled == Enabled;
    }

    /// <summary>Without the article's text (see <see cref="KnowledgeQuery"/>).</summary>
    public override string ToString() => $"KnowledgeArticleDraft {{ ArticleId = {ArticleId}, Language = {Language}, Enabled = {Enabled} }}";
}
