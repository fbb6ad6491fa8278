using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// Outside business hours (docs/routing.md, "Business hours"), in Chinese: the widget says the topic is closed and when it
/// opens, and takes a message instead of a chat; when the queue opens the message reaches the desk as an email
/// conversation. The queue is closed on today's and tomorrow's dates in its zone (holidays), and opened by taking its
/// hours away — the opening on the clock itself is checked on a fake clock in BusinessHoursApiTests.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class LeaveAMessageTests(BrowserFixture browser)
{
    [Fact]
    public async Task AClosedTopicTakesAMessageInTheCustomersLanguageAndTheDeskGetsItWhenTheQueueOpens()
    {
        var http = browser.Http;
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var hours = new
        {
            timeZone = "Asia/Shanghai",
            weekly = new[]
            {
                new
                {
                    days = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" },
                    open = "00:00",
                    close = "24:00",
                },
            },
            holidays = new[] { today.ToString("yyyy-MM-dd"), today.AddDays(1).ToString("yyyy-MM-dd") },
        };
        await http.Put(
            "/api/queues/night",
            new
            {
                name = "Night",
                offerTimeoutSeconds = 120,
                hours,
            }
        );
        await http.Put("/api/agents/nia", new { name = "Nia", queues = new[] { new { queueId = "night" } } });
        var desk = await browser.OpenSignedInAsync("/desk", "nia");
        await http.Post("/api/agents/nia/status", new { status = "Available" });
        await Expect(desk.Locator("#status-now")).ToHaveTextAsync("Available");

        var chat = await browser.OpenAsync("/chat", locale: "zh-CN");
        await chat.GetByLabel("您的姓名").FillAsync("周");
        await chat.GetByLabel("咨询类别").SelectOptionAsync("night");
        await Expect(chat.Locator("#closed")).ToContainTextAsync("不在服务时间");
        await chat.GetByLabel("您的邮箱（用于接收回复）").FillAsync("zhou@example.com");
        await chat.GetByLabel("留言内容").FillAsync("请在上班后给我回电话");
        await BrowserFixture.ScreenshotAsync(chat, "chat-closed-zh");
        await BrowserFixture.AssertAccessibleAsync(chat, "the widget outside business hours, in Chinese");
        await chat.GetByRole(AriaRole.Button, new() { Name = "留言", Exact = true }).ClickAsync();
        await Expect(chat.Locator("#left-text")).ToContainTextAsync("感谢您的留言");
        await BrowserFixture.AssertAccessibleAsync(chat, "the widget's thanks for a message left");

        // The queue opens: the message is offered to the desk as an email, with its words.
        await http.Put("/api/queues/night", new { name = "Night", offerTimeoutSeconds = 120 });
        var offer = desk.Locator(".offer");
        await Expect(offer).ToContainTextAsync("email");
        await offer.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(desk.Locator(".transcript .message.customer")).ToContainTextAsync("请在上班后给我回电话");
        await Expect(desk.Locator(".details")).ToContainTextAsync("zhou@example.com");
        Assert.Empty(browser.ErrorsOf(desk, chat));
    }
}
