using System.Net;
using System.Text;
using System.Text.Json;
using Routing.Tests.Api;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Knowledge;

/// <summary>
/// <c>/api/knowledge</c> in memory: articles made, versioned, refused on a stale version, deleted with their history
/// kept; imports from CSV and Markdown that change nothing unless all of them is sound; and the search finding what
/// was just saved on this silo.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class KnowledgeApiTests(ApiFactory api)
{
    private readonly HttpClient _admin = api.CreateClient();

    [Fact]
    public async Task AnArticleGetsAVersionPerChangeNoneForARepeatAndAStaleEditIsRefused()
    {
        object Article(string answer, long? version = null) =>
            new
            {
                title = "How do I return a parcel?",
                questions = new[] { "send it back", "return label" },
                answer,
                topic = "returns",
                language = "en",
                version,
            };
        var article = Article("Print the return label from the order page.");
        var created = await _admin.Put("/api/knowledge/articles/kb-return", article);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(1, (await created.Body()).GetProperty("version").GetInt64());

        var repeated = await _admin.Put("/api/knowledge/articles/kb-return", article);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(1, (await repeated.Body()).GetProperty("version").GetInt64());

        var edited = await _admin.Put("/api/knowledge/articles/kb-return", Article("Print the label; drop it at any post office.", 1));
        Assert.Equal(2, (await edited.Body()).GetProperty("version").GetInt64());

        var stale = await _admin.Put("/api/knowledge/articles/kb-return", Article("Someone else's edit.", 1));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("version-conflict", (await stale.Body()).GetProperty("code").GetString());
        var current = await (await _admin.GetAsync("/api/knowledge/articles/kb-return")).Body();
        Assert.Equal("Print the label; drop it at any post office.", current.GetProperty("answer").GetString());
        Assert.False(string.IsNullOrEmpty(current.GetProperty("updatedBy").GetString()));
    }

    [Fact]
    public async Task ADeletedArticleIsGoneFromReadsAndSearchButItsHistoryStays()
    {
        await _admin.Put("/api/knowledge/articles/kb-gift", Article("Do you sell gift cards?", "Yes, from 50 to 500 yuan."));
        Assert.Contains("kb-gift", await SearchAsync("gift cards"));

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/knowledge/articles/kb-gift")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/knowledge/articles/kb-gift")).StatusCode);
        Assert.DoesNotContain("kb-gift", await SearchAsync("gift cards"));
        var versions = await (await _admin.GetAsync("/api/knowledge/articles/kb-gift/versions")).Body();
        Assert.Equal([false, true], versions.EnumerateArray().Select(v => v.GetProperty("deleted").GetBoolean()));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync("/api/knowledge/articles/kb-gift")).StatusCode);
        var again = await _admin.Put("/api/knowledge/articles/kb-gift", Article("Do you sell gift cards?", "Not any more."));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(3, (await again.Body()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task ACsvAndAMarkdownImportMakeTheirArticlesAndAReimportChangesNothing()
    {
        var csv =
            "id,title,questions,answer,topic,language,tags,enabled\n"
            + "kb-csv-1,How long is the warranty?,guarantee|warranty period,\"One year, parts and labour.\",after-sales,en,warranty,true\n"
            + "kb-csv-2,发票怎么开？,开发票|电子发票,\"订单完成后在详情页申请。\",orders,zh,,\n";
        var imported = await ImportAsync(csv, "text/csv");
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(2, (await imported.Body()).GetProperty("imported").GetInt32());
        var again = await (await ImportAsync(csv, "text/csv")).Body();
        Assert.Equal((0, 2), (again.GetProperty("imported").GetInt32(), again.GetProperty("unchanged").GetInt32()));

        var markdown = """
            # Shop answers

            ## 积分怎么用？
            id: kb-md-points
            language: zh
            topic: membership

            - 积分抵现
            - 积分过期

            结算时可用积分抵扣，100 积分抵 1 元。
            - 每笔订单最多抵 50%。
            """;
        var fromMarkdown = await ImportAsync(markdown, "text/markdown");
        Assert.Equal(HttpStatusCode.OK, fromMarkdown.StatusCode);
        var points = await (await _admin.GetAsync("/api/knowledge/articles/kb-md-points")).Body();
        Assert.Equal(["积分抵现", "积分过期"], points.GetProperty("questions").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal("结算时可用积分抵扣，100 积分抵 1 元。\n- 每笔订单最多抵 50%。", points.GetProperty("answer").GetString());
        Assert.Contains("kb-md-points", await SearchAsync("积分抵现"));
        Assert.Contains("kb-csv-2", await SearchAsync("电子发票"));
    }

    [Fact]
    public async Task AnImportWithOneBadArticleImportsNoneAndNamesIt()
    {
        var csv = "id,title,answer,language\nkb-bad-1,Fine,An answer.,en\nkb-bad-2,Not fine,An answer.,fr\n";
        var refused = await ImportAsync(csv, "text/csv");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("articles[1].language", Fields(await refused.Body()));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/knowledge/articles/kb-bad-1")).StatusCode);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await ImportAsync(csv, "application/json")).StatusCode);
        var noHeader = await ImportAsync("kb-x,title\n", "text/csv");
        Assert.Equal("invalid-import", (await noHeader.Body()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"answer\":\"a\",\"language\":\"en\"}", "title")]
    [InlineData("{\"title\":\"t\",\"answer\":\"a\",\"language\":\"de\"}", "language")]
    [InlineData("{\"title\":\"t\",\"answer\":\"a\",\"language\":\"en\",\"questions\":[null]}", "questions[0]")]
    [InlineData("{\"title\":\"t\\u0007\",\"answer\":\"a\",\"language\":\"en\"}", "title")]
    [InlineData("{\"title\":\"t\",\"answer\":\"a\",\"language\":\"en\",\"topic\":\"no spaces\"}", "topic")]
    public async Task ABadArticleIsRefusedNamingTheFieldAndNothingIsMade(string body, string field)
    {
        var refused = await _admin.PutAsync(
            "/api/knowledge/articles/kb-refused",
            new StringContent(body, Encoding.UTF8, "application/json")
        );
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(field, Fields(await refused.Body()));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/knowledge/articles/kb-refused")).StatusCode);
    }

    [Fact]
    public async Task AnAgentSearchesButCannotWriteAndASearchWithoutAQuestionIsRefused()
    {
        var agent = api.CreateClient().WithToken(TestTokens.Agent("ann"));
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/knowledge/search?q=refund")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Put("/api/knowledge/articles/kb-agent", Article("t", "a"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync("/api/knowledge/search")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync("/api/knowledge/search?q=x&limit=99")).StatusCode);
    }

    /// <summary>The fields a 400 names: each of its errors', or its one field.</summary>
    private static List<string?> Fields(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors)
            ? [.. errors.EnumerateArray().Select(e => e.GetProperty("field").GetString())]
            : [problem.GetProperty("field").GetString()];

    private static object Article(string title, string answer) =>
        new
        {
            title,
            answer,
            language = "en",
        };

    private Task<HttpResponseMessage> ImportAsync(string body, string contentType) =>
        _admin.PostAsync("/api/knowledge/import", new StringContent(body, Encoding.UTF8, contentType));

    private async Task<List<string?>> SearchAsync(string question)
    {
        var hits = await (await _admin.GetAsync($"/api/knowledge/search?q={Uri.EscapeDataString(question)}")).Body();
        return [.. hits.EnumerateArray().Select(h => h.GetProperty("article").GetProperty("id").GetString())];
    }
}
