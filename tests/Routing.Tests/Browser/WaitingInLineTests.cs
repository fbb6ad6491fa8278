using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>The widget's place in line, in both languages: one customer ahead makes this one number 2, one ahead.</summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class WaitingInLineTests(BrowserFixture browser)
{
    [Fact]
    public async Task WithOneCustomerAheadTheWidgetSaysNumberTwoInLineAndOneAheadInChinese()
    {
        var http = browser.Http;
        await http.Put("/api/queues/queueing", new { name = "Queueing" });
        await http.Post(
            "/api/conversations",
            new
            {
                channel = "chat",
                queueId = "queueing",
                customer = new { id = "first-in-line" },
            }
        );

        var chat = await browser.OpenAsync("/chat");
        await chat.GetByLabel("Your name").FillAsync("Second");
        await chat.GetByLabel("Topic").SelectOptionAsync("queueing");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(chat.Locator("#position")).ToHaveTextAsync("You are number 2 in line (1 ahead of you)");
        await chat.GetByLabel("Language").SelectOptionAsync("zh");
        await Expect(chat.Locator("#position")).ToHaveTextAsync("您前面还有 1 位");
        Assert.Empty(browser.ErrorsOf(chat));
    }
}
