using Routing.Api.Knowledge;

namespace Routing.Tests.Knowledge;

/// <summary>How an import's CSV and Markdown become articles (docs/self-service.md, "Importing articles").</summary>
public sealed class KnowledgeImportTests
{
    [Fact]
    public void CsvColumnsComeInAnyOrderAndQuotedFieldsKeepTheirCommasQuotesAndLineBreaks()
    {
        var read = KnowledgeImport.FromCsv(
            "Language,ID,Title,Answer,Questions,Tags,Enabled\n"
                + "en,a1,\"Refunds, returns\",\"Say \"\"refund\"\"\nthen wait.\",money back | refund ,x|y,no\n"
                + "zh,a2,退款,三天内退回。,,,\n"
        );

        Assert.Equal(2, read.Count);
        var first = read[0].Article;
        Assert.Equal(
            ("a1", "Refunds, returns", "Say \"refund\"\nthen wait.", "en"),
            (read[0].Id, first.Title, first.Answer, first.Language)
        );
        Assert.Equal(["money back", "refund"], first.Questions!);
        Assert.Equal(["x", "y"], first.Tags!);
        Assert.False(first.Enabled);
        Assert.Null(read[1].Article.Questions);
        Assert.Null(read[1].Article.Enabled);
    }

    [Fact]
    public void ACsvWithoutTheRequiredColumnsOrWithAnUnreadableEnabledIsRefusedSayingWhy()
    {
        Assert.Contains("language", Assert.Throws<FormatException>(() => KnowledgeImport.FromCsv("id,title,answer\na,b,c\n")).Message);
        Assert.Contains(
            "enabled",
            Assert.Throws<FormatException>(() => KnowledgeImport.FromCsv("id,title,answer,language,enabled\na,b,c,en,maybe\n")).Message
        );
        Assert.Empty(KnowledgeImport.FromCsv(""));
    }

    [Fact]
    public void MarkdownArticlesRunFromHeadingToHeadingWithTheirHeaderQuestionsAndAnswerAsWritten()
    {
        var read = KnowledgeImport.FromMarkdown(
            """
            # Our answers
            An introduction that is no article.

            ## Where is my parcel?
            id: track
            language: en
            tags: delivery, tracking
            enabled: yes
            - tracking number
            - where is my order

            Open **My orders** and choose [Track](https://shop.example/track).

            - Updates come from the courier.
            ## 忘记密码
            id: zh-login
            language: zh
            点击“忘记密码”重置。
            """
        );

        Assert.Equal(2, read.Count);
        var track = read[0].Article;
        Assert.Equal(("track", "Where is my parcel?", "en", true), (read[0].Id, track.Title, track.Language, track.Enabled));
        Assert.Equal(["tracking number", "where is my order"], track.Questions!);
        Assert.Equal(["delivery", "tracking"], track.Tags!);
        Assert.Equal(
            "Open **My orders** and choose [Track](https://shop.example/track).\n\n- Updates come from the courier.",
            track.Answer
        );
        Assert.Equal(("zh-login", "点击“忘记密码”重置。"), (read[1].Id, read[1].Article.Answer));
        Assert.Empty(read[1].Article.Questions!);
    }
}
