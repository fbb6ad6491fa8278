using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>The customer widget across a reload (its token renewed, or expired), on a phone, and every page in both languages.</summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class WidgetAndLanguageTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheWidgetReloadedMidConversationContinuesItOnAPhoneSizedScreenAndRenewsItsToken()
    {
        var http = browser.Http;
        await http.Put("/api/queues/help", new { name = "Help", offerTimeoutSeconds = 120 });
        await http.Put("/api/agents/gil", new { name = "Gil", queues = new[] { new { queueId = "help" } } });
        await http.Post("/api/agents/gil/status", new { status = "Available" });
        var chat = await browser.OpenAsync("/chat", width: 375, height: 667);
        await Expect(chat.GetByLabel("Your name")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(chat, "chat-phone-start");

        await chat.GetByLabel("Your name").FillAsync("Hal");
        await chat.GetByLabel("Topic").SelectOptionAsync("help");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(chat.Locator("#position")).ToBeVisibleAsync();
        var id = await chat.EvaluateAsync<string>("JSON.parse(localStorage.getItem('routing.chat')).id");
        var accepted = await http.Post($"/api/conversations/{id}/accept", new { agentId = "gil" });
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        await Expect(chat.Locator("#agent")).ToHaveTextAsync("Gil joined the conversation");
        await chat.GetByLabel("Message").FillAsync("before the reload");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(chat.Locator("#transcript .text")).ToHaveTextAsync(["before the reload"]);

        // The widget comes back with a token a minute from its end (it was closed for most of half an hour).
        var ending = TestTokens.Issue("default", "customer", null, id, TimeSpan.FromMinutes(1));
        await chat.EvaluateAsync(
            """
            token => localStorage.setItem('routing.chat', JSON.stringify({ ...JSON.parse(localStorage.getItem('routing.chat')), token }))
            """,
            ending
        );
        await chat.ReloadAsync();

        await Expect(chat.Locator("#agent")).ToHaveTextAsync("Gil joined the conversation");
        await Expect(chat.Locator("#transcript .text")).ToHaveTextAsync(["before the reload"]);
        await chat.WaitForFunctionAsync("ending => JSON.parse(localStorage.getItem('routing.chat')).token !== ending", ending);
        var renewed = await chat.EvaluateAsync<string>("JSON.parse(localStorage.getItem('routing.chat')).token");
        Assert.True(new JsonWebToken(renewed).ValidTo > DateTime.UtcNow.AddMinutes(25));
        await http.Post(
            $"/api/conversations/{id}/messages",
            new
            {
                from = "agent",
                agentId = "gil",
                text = "welcome back",
            }
        );
        await Expect(chat.Locator("#transcript .text")).ToHaveTextAsync(["before the reload", "welcome back"]);
        await Expect(chat.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeInViewportAsync();
        Assert.Equal(375, await chat.EvaluateAsync<int>("document.documentElement.scrollWidth")); // nothing wider than the phone
        await BrowserFixture.ScreenshotAsync(chat, "chat-phone");
        Assert.Empty(browser.ErrorsOf(chat));
    }

    [Fact]
    public async Task AWidgetWhoseSavedTokenExpiredStartsAfresh()
    {
        var http = browser.Http;
        await http.Put("/api/queues/later", new { name = "Later", offerTimeoutSeconds = 120 });
        var chat = await browser.OpenAsync("/chat");
        await chat.GetByLabel("Your name").FillAsync("Ida");
        await chat.GetByLabel("Topic").SelectOptionAsync("later");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(chat.Locator("#position")).ToBeVisibleAsync();
        var id = await chat.EvaluateAsync<string>("JSON.parse(localStorage.getItem('routing.chat')).id");

        // The visitor comes back after the token ran out.
        await chat.EvaluateAsync(
            """
            token => localStorage.setItem('routing.chat', JSON.stringify({ ...JSON.parse(localStorage.getItem('routing.chat')), token }))
            """,
            TestTokens.Issue("default", "customer", null, id, TimeSpan.FromHours(-1))
        );
        await chat.ReloadAsync();

        await Expect(chat.Locator("#error")).ToHaveTextAsync("Your earlier chat could not be continued. You can start a new one.");
        await Expect(chat.GetByLabel("Your name")).ToBeVisibleAsync();
        await Expect(chat.Locator("#waiting")).ToBeHiddenAsync();
        Assert.Null(await chat.EvaluateAsync<string?>("localStorage.getItem('routing.chat')"));
        // Chromium logs the refused negotiation (401), and so does the SignalR client; nothing else.
        Assert.All(
            browser.ErrorsOf(chat),
            e =>
                Assert.True(
                    e.Contains("/hubs/customer/negotiate", StringComparison.Ordinal)
                        || e.Contains("Status code '401'", StringComparison.Ordinal),
                    e
                )
        );
    }

    [Fact]
    public async Task OneScriptTagPutsTheWidgetOnABusinesssOwnPage()
    {
        await browser.Http.Put("/api/queues/shop", new { name = "Shop" });
        var page = await browser.OpenAsync("/docs");
        await page.SetContentAsync(
            $"<html><body><h1>A shop</h1><script src=\"{browser.Silo.Address}embed.js\" data-label=\"Talk to us\"></script></body></html>"
        );

        await page.GetByRole(AriaRole.Button, new() { Name = "Talk to us" }).ClickAsync();

        var widget = page.FrameLocator("iframe[title='Talk to us']");
        await Expect(widget.GetByLabel("Your name")).ToBeVisibleAsync();
        await Expect(widget.GetByLabel("Topic").Locator("option[value=shop]")).ToHaveTextAsync("Shop");
    }

    [Theory]
    [InlineData("/dashboard", "Queues", "队列")]
    [InlineData("/desk", "Agent desk", "坐席工作台")]
    [InlineData("/chat", "Chat with us", "在线咨询")]
    public async Task EveryPageSwitchesBetweenEnglishAndChineseAndDefaultsToTheBrowsersLanguage(string path, string english, string chinese)
    {
        var page = await browser.OpenAsync(path);
        await Expect(page.Locator("h1")).ToHaveTextAsync(english);

        await page.GetByLabel("Language").SelectOptionAsync("zh");
        await Expect(page.Locator("h1")).ToHaveTextAsync(chinese);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await page.ReloadAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(chinese); // remembered

        var chineseBrowser = await browser.OpenAsync(path, locale: "zh-CN");
        await Expect(chineseBrowser.Locator("h1")).ToHaveTextAsync(chinese);
        await chineseBrowser.GetByLabel("语言").SelectOptionAsync("en");
        await Expect(chineseBrowser.Locator("h1")).ToHaveTextAsync(english);
        Assert.Empty(browser.ErrorsOf(page, chineseBrowser));
    }
}
