using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Routing.Api.Auth;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Access;
using Routing.Contracts.Knowledge;

namespace Routing.Api.Knowledge;

/// <summary>
/// <c>/api/knowledge</c>: the workspace's knowledge base (docs/self-service.md) — its articles, their versions, an
/// import from CSV or Markdown, and the search customers and agents use.
/// </summary>
public static class KnowledgeApi
{
    public const string CsvContentType = "text/csv";

    public const string MarkdownContentType = "text/markdown";

    private static readonly string[] ReadArticles = [StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Agent, StaffRoles.Integration];

    public static RouteGroupBuilder MapKnowledgeApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/knowledge").WithTags("Knowledge");
        group
            .MapGet("/articles", ListArticles)
            .WithName("ListArticles")
            .WithSummary("List the knowledge base's articles")
            .Allow(ReadArticles);
        group.MapGet("/articles/{articleId}", GetArticle).WithName("GetArticle").WithSummary("Read an article").Allow(ReadArticles);
        group
            .MapGet("/articles/{articleId}/versions", ArticleVersions)
            .WithName("ListArticleVersions")
            .WithSummary("Every version an article had, oldest first")
            .Allow(StaffRoles.Admin, StaffRoles.Supervisor);
        group
            .MapPut("/articles/{articleId}", PutArticle)
            .WithName("PutArticle")
            .WithSummary("Create an article or make a new version of it")
            .Allow(StaffRoles.Admin);
        group
            .MapDelete("/articles/{articleId}", DeleteArticle)
            .WithName("DeleteArticle")
            .WithSummary("Delete an article")
            .Allow(StaffRoles.Admin);
        group
            .MapPost("/import", Import)
            .WithName("ImportArticles")
            .WithSummary("Create or update articles from CSV (text/csv) or Markdown (text/markdown)")
            .Accepts<string>(CsvContentType, MarkdownContentType)
            .Allow(StaffRoles.Admin);
        group
            .MapGet("/search", Search)
            .WithName("SearchArticles")
            .WithSummary("The articles that best answer a question")
            .Allow(ReadArticles);
        group
            .MapGet("/unanswered", Unanswered)
            .WithName("ListUnansweredQuestions")
            .WithSummary("The questions the self-service step could not answer, oldest first (JSON, or CSV with Accept: text/csv)")
            .Allow(StaffRoles.Admin, StaffRoles.Supervisor)
            .Produces<UnansweredReportResponse>(StatusCodes.Status200OK, "application/json", Reports.ReportsApi.CsvContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    public static async Task<Ok<List<ArticleResponse>>> ListArticles(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok((await KnowledgeBase(http, grains).ListAsync()).Select(ArticleResponse.From).ToList());

    public static async Task<Results<Ok<ArticleResponse>, NotFoundProblem>> GetArticle(
        string articleId,
        HttpContext http,
        IGrainFactory grains
    ) =>
        RequestValidator.IsId(articleId) && await KnowledgeBase(http, grains).GetAsync(articleId) is { } article
            ? TypedResults.Ok(ArticleResponse.From(article))
            : ArticleNotFound(articleId);

    public static async Task<Results<Ok<List<ArticleResponse>>, NotFoundProblem>> ArticleVersions(
        string articleId,
        HttpContext http,
        IGrainFactory grains
    )
    {
        var history = RequestValidator.IsId(articleId) ? await KnowledgeBase(http, grains).HistoryAsync(articleId) : [];
        return history.Count == 0 ? ArticleNotFound(articleId) : TypedResults.Ok(history.Select(ArticleResponse.From).ToList());
    }

    public static async Task<Results<Ok<ArticleResponse>, Created<ArticleResponse>, BadRequestProblem, ConflictProblem>> PutArticle(
        string articleId,
        ArticleRequest request,
        HttpContext http,
        IGrainFactory grains
    )
    {
        var v = new RequestValidator().Id(articleId, "articleId");
        var draft = Draft(v, articleId, request, "");
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        var saved = await KnowledgeBase(http, grains).SaveAsync(draft!, Caller.Of(http).Client);
        await Searcher(http, grains).RefreshAsync(); // this silo's search finds it at once; the others within a second
        var response = ArticleResponse.From(saved.Article);
        return saved.Created ? TypedResults.Created($"/api/knowledge/articles/{articleId}", response) : TypedResults.Ok(response);
    }

    public static async Task<Results<NoContent, NotFoundProblem>> DeleteArticle(string articleId, HttpContext http, IGrainFactory grains)
    {
        if (!RequestValidator.IsId(articleId) || !await KnowledgeBase(http, grains).DeleteAsync(articleId, Caller.Of(http).Client))
        {
            return ArticleNotFound(articleId);
        }
        await Searcher(http, grains).RefreshAsync();
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ImportResponse>, BadRequestProblem, UnsupportedMediaTypeProblem>> Import(
        HttpContext http,
        IGrainFactory grains
    )
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not (CsvContentType or MarkdownContentType))
        {
            return Problem.UnsupportedMediaType(
                "unsupported-import",
                $"An import is {CsvContentType} or {MarkdownContentType} (UTF-8), not '{http.Request.ContentType}'."
            );
        }
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        IReadOnlyList<ImportedArticle> read;
        try
        {
            read = mediaType == CsvContentType ? KnowledgeImport.FromCsv(text) : KnowledgeImport.FromMarkdown(text);
        }
        catch (Exception e) when (e is FormatException or CsvHelper.CsvFormatException)
        {
            return Problem.BadRequest("invalid-import", e.Message.Split('\n')[0], "body");
        }
        var v = new RequestValidator()
            .Require(read.Count > 0, "body", "empty-import", "The import holds no article.")
            .Count(read, "body", Limits.MaxImportArticles, "import-too-large");
        var drafts = new List<KnowledgeArticleDraft>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < read.Count && v.IsValid; i++)
        {
            var field = $"articles[{i}]";
            v.Id(read[i].Id, $"{field}.id");
            v.Require(
                read[i].Id is null || seen.Add(read[i].Id!),
                $"{field}.id",
                "duplicate-id",
                $"Article '{read[i].Id}' is in the import twice (line {read[i].Line})."
            );
            if (Draft(v, read[i].Id ?? "", read[i].Article, field + ".") is { } draft)
            {
                drafts.Add(draft);
            }
        }
        if (v.ToProblem() is { } invalid)
        {
            return invalid; // nothing is imported unless all of it is sound
        }
        var saved = await KnowledgeBase(http, grains).ImportAsync(drafts, Caller.Of(http).Client);
        await Searcher(http, grains).RefreshAsync();
        return TypedResults.Ok(
            new ImportResponse(saved.Count(s => s.Changed), saved.Count(s => !s.Changed), [.. saved.Select(s => s.Article.ArticleId)])
        );
    }

    /// <summary>The most questions one report lists.</summary>
    public const int MaxUnanswered = 1_000;

    /// <summary>
    /// The questions the self-service step escalated for want of an answer in [from, to) (docs/self-service.md): what the
    /// knowledge team writes articles for. At most 93 days, and <c>limit</c> (default 500) questions.
    /// </summary>
    public static async Task<IResult> Unanswered(HttpContext http, IGrainFactory grains, string? from, string? to, int? limit)
    {
        var v = new RequestValidator().Range(limit, "limit", 1, MaxUnanswered);
        var period = Reports.ReportsApi.Period(v, from, to, onQuarter: false);
        if (v.ToProblem() is { } problem)
        {
            return problem;
        }
        var (start, end) = period!.Value;
        var questions = await grains.Grain<IDirectoryGrain>(Workspace.Of(http)).UnansweredAsync(start, end, limit ?? 500);
        var response = new UnansweredReportResponse(start, end, questions.Select(UnansweredQuestionResponse.From).ToList());
        if (!Reports.ReportsApi.WantsCsv(http))
        {
            return Results.Ok(response);
        }
        var csv = new StringBuilder("at,queueId,conversationId,text\r\n");
        foreach (var q in response.Questions)
        {
            object?[] values = [q.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), q.QueueId, q.ConversationId, q.Text];
            csv.AppendJoin(',', values.Select(Reports.ReportsApi.Field)).Append("\r\n");
        }
        return Results.Text(csv.ToString(), Reports.ReportsApi.CsvContentType + "; charset=utf-8");
    }

    public static async Task<Results<Ok<List<SearchHitResponse>>, BadRequestProblem>> Search(
        HttpContext http,
        IGrainFactory grains,
        string? q,
        string? language,
        string? topic,
        int? limit
    )
    {
        var v = new RequestValidator()
            .Text(q, "q", Limits.SearchTextLength)
            .Require(
                language is null || KnowledgeArticle.Languages.Contains(language),
                "language",
                "unknown-language",
                "'language' is zh or en."
            )
            .Range(limit, "limit", 1, KnowledgeQuery.MaxLimit);
        if (topic is not null)
        {
            v.Id(topic, "topic");
        }
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        var hits = await Searcher(http, grains).SearchAsync(new KnowledgeQuery(q!, language, topic, limit ?? 5));
        return TypedResults.Ok(hits.Select(SearchHitResponse.From).ToList());
    }

    /// <summary>
    /// Checks an article as sent (naming each field after <paramref name="prefix"/>) and makes it a draft, or null when
    /// something is wrong (collected in <paramref name="v"/>).
    /// </summary>
    private static KnowledgeArticleDraft? Draft(RequestValidator v, string articleId, ArticleRequest r, string prefix)
    {
        var before = v.Errors.Count;
        v.Line(r.Title, prefix + "title", Limits.ArticleTitleLength)
            .Text(r.Answer, prefix + "answer", Limits.ArticleAnswerLength)
            .Require(
                r.Language is not null && KnowledgeArticle.Languages.Contains(r.Language),
                prefix + "language",
                "unknown-language",
                $"'{prefix}language' is zh or en."
            )
            .Count(r.Questions, prefix + "questions", Limits.MaxArticleQuestions, "too-many-questions")
            .Elements(r.Questions, prefix + "questions")
            .Count(r.Tags, prefix + "tags", Limits.MaxArticleTags, "too-many-tags")
            .Elements(r.Tags, prefix + "tags");
        if (r.Topic is not null)
        {
            v.Id(r.Topic, prefix + "topic");
        }
        for (var i = 0; i < (r.Questions?.Count ?? 0); i++)
        {
            v.Line(r.Questions![i], $"{prefix}questions[{i}]", Limits.ArticleQuestionLength, required: r.Questions[i] is not null);
        }
        for (var i = 0; i < (r.Tags?.Count ?? 0); i++)
        {
            v.Line(r.Tags![i], $"{prefix}tags[{i}]", Limits.ArticleTagLength, required: r.Tags[i] is not null);
        }
        v.Range(r.Version, prefix + "version", 0, long.MaxValue);
        if (v.Errors.Count > before)
        {
            return null;
        }
        return new KnowledgeArticleDraft(
            articleId,
            r.Title!.Trim(),
            [.. (r.Questions ?? []).Select(q => q!.Trim()).Where(q => q.Length > 0)],
            r.Answer!.Trim(),
            r.Topic,
            r.Language!,
            [.. (r.Tags ?? []).Select(t => t!.Trim()).Where(t => t.Length > 0)],
            r.Enabled ?? true,
            r.Version
        );
    }

    private static IKnowledgeBaseGrain KnowledgeBase(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<IKnowledgeBaseGrain>(Workspace.Of(http));

    private static IKnowledgeSearchGrain Searcher(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<IKnowledgeSearchGrain>(Workspace.Of(http));

    private static NotFoundProblem ArticleNotFound(string articleId) =>
        Problem.NotFound("article-not-found", $"No article '{articleId}' in this workspace.", "articleId");
}
