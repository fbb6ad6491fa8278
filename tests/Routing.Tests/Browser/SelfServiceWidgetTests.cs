using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// The widget's self-service step (docs/self-service.md): the assistant's answer taken ends the chat as resolved by
/// self-service; asking for a person — in Chinese here — puts it in line, and the agent's desk gets it with the exchange.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class SelfServiceWidgetTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheAssistantsAnswerTakenInTheWidgetEndsTheChatResolvedBySelfService()
    {
        var http = browser.Http;
        await http.Put("/api/queues/self-faq", new { name = "FAQ", selfService = "bot-first" });
        await PutArticleAsync("kb-refund", "When do I get my refund?", "within 3 days", "Refunds reach your card within 3 working days.");
        var chat = await browser.OpenAsync("/chat");

        await chat.GetByLabel("Your name").FillAsync("Ann");
        await chat.GetByLabel("Topic").SelectOptionAsync("self-faq");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(chat.GetByRole(AriaRole.Button, new() { Name = "Talk to a person" })).ToBeVisibleAsync();
        await chat.GetByLabel("Message").FillAsync("when do I get my refund");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var answer = chat.Locator("#transcript .message.bot");
        await Expect(answer).ToContainTextAsync("Refunds reach your card within 3 working days.");
        await Expect(answer.Locator(".who")).ToHaveTextAsync("Assistant");
        await answer.GetByRole(AriaRole.Button, new() { Name = "This answers my question" }).ClickAsync();

        await Expect(chat.Locator("#ended")).ToHaveTextAsync("Glad we could help. The conversation has ended.");
        await Expect(chat.Locator("#stars")).ToBeHiddenAsync();
        var id = await chat.EvaluateAsync<string>("JSON.parse(localStorage.getItem('routing.chat')).id");
        var conversation = await (await http.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal(
            ("Resolved", "kb-refund"),
            (conversation.GetProperty("state").GetString(), conversation.GetProperty("disposition").GetString())
        );
        Assert.Empty(browser.ErrorsOf(chat));
    }

    [Fact]
    public async Task AnswersAreSuggestedAsTheCustomerTypesAndOneTakenIsAskedAndAnswered()
    {
        var http = browser.Http;
        await http.Put("/api/queues/self-suggest", new { name = "Suggest", selfService = "suggest" });
        await PutArticleAsync(
            "kb-gift-wrap",
            "Can you gift wrap my order?",
            "gift wrapping",
            "Choose gift wrapping at checkout; it costs 5 yuan."
        );
        var chat = await browser.OpenAsync("/chat");
        await chat.GetByLabel("Your name").FillAsync("Bo");
        await chat.GetByLabel("Topic").SelectOptionAsync("self-suggest");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(chat.GetByRole(AriaRole.Button, new() { Name = "Talk to a person" })).ToBeVisibleAsync();

        await chat.GetByLabel("Message").PressSequentiallyAsync("gift wrap");
        var suggestions = chat.GetByRole(AriaRole.List, new() { Name = "Answers that may help" });
        var suggested = suggestions.GetByRole(AriaRole.Button, new() { Name = "Can you gift wrap my order?" });
        await Expect(suggested).ToBeVisibleAsync();
        Assert.Empty(await TranscriptAsync(chat)); // nothing is sent while the customer types
        await suggested.ClickAsync();

        var answer = chat.Locator("#transcript .message.bot");
        await Expect(answer).ToContainTextAsync("Choose gift wrapping at checkout; it costs 5 yuan.");
        await Expect(chat.Locator("#transcript .message.customer")).ToContainTextAsync("Can you gift wrap my order?");
        await Expect(suggestions).ToBeHiddenAsync();
        await Expect(chat.GetByLabel("Message")).ToHaveValueAsync("");
        await answer.GetByRole(AriaRole.Button, new() { Name = "This answers my question" }).ClickAsync();
        await Expect(chat.Locator("#ended")).ToHaveTextAsync("Glad we could help. The conversation has ended.");
        Assert.Empty(browser.ErrorsOf(chat));
    }

    private static async Task<IReadOnlyList<string>> TranscriptAsync(IPage chat) =>
        await chat.Locator("#transcript .message").AllTextContentsAsync();

    [Fact]
    public async Task AskingForAPersonPutsTheChatInLineAndTheDeskGetsItWithTheExchange()
    {
        var http = browser.Http;
        await http.Put(
            "/api/queues/self-care",
            new
            {
                name = "Care",
                selfService = "suggest",
                offerTimeoutSeconds = 120,
            }
        );
        await PutArticleAsync("kb-size", "How do I choose a size?", "size chart", "Use the size chart on the product page.");
        await http.Put("/api/agents/ivy", new { name = "Ivy", queues = new[] { new { queueId = "self-care" } } });
        var desk = await browser.OpenSignedInAsync("/desk", "ivy");
        await Expect(desk.Locator("#agent-name")).ToHaveTextAsync("Ivy (ivy)");
        await http.Post("/api/agents/ivy/status", new { status = "Available" });
        var chat = await browser.OpenAsync("/chat", locale: "zh-CN");

        await chat.GetByLabel("您的姓名").FillAsync("小明");
        await chat.GetByLabel("咨询类别").SelectOptionAsync("self-care");
        await chat.GetByRole(AriaRole.Button, new() { Name = "开始咨询" }).ClickAsync();
        await chat.GetByLabel("消息").FillAsync("how do I choose a size");
        await chat.GetByRole(AriaRole.Button, new() { Name = "发送" }).ClickAsync();
        await Expect(chat.Locator("#transcript .message.bot")).ToContainTextAsync("Use the size chart on the product page.");
        await chat.GetByLabel("消息").FillAsync("转人工");
        await chat.GetByRole(AriaRole.Button, new() { Name = "发送" }).ClickAsync();

        await Expect(chat.Locator("#waiting")).ToBeVisibleAsync();
        await Expect(chat.GetByRole(AriaRole.Button, new() { Name = "已解决我的问题" })).ToBeHiddenAsync();
        var id = await chat.EvaluateAsync<string>("JSON.parse(localStorage.getItem('routing.chat')).id");
        await desk.Locator($".offer[data-conversation='{id}']").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        var exchange = desk.Locator(".transcript .message");
        await Expect(exchange).ToHaveCountAsync(3);
        await Expect(exchange.Nth(0)).ToContainTextAsync("how do I choose a size");
        await Expect(exchange.Nth(1).Locator(".who")).ToHaveTextAsync("Assistant");
        await Expect(exchange.Nth(1)).ToContainTextAsync("Use the size chart on the product page.");
        await Expect(exchange.Nth(2)).ToContainTextAsync("转人工");
        await Expect(chat.Locator("#agent")).ToHaveTextAsync("Ivy 已加入会话");
        Assert.Empty(browser.ErrorsOf(chat));
        Assert.Empty(browser.ErrorsOf(desk));
    }

    private async Task PutArticleAsync(string id, string title, string question, string answer)
    {
        var saved = await browser.Http.Put(
            $"/api/knowledge/articles/{id}",
            new
            {
                title,
                questions = new[] { question },
                answer,
                language = "en",
            }
        );
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
    }
}
