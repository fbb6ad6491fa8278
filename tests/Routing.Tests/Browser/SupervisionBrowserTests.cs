using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// Monitor, whisper and barge-in (docs/supervision.md) in three browsers at once: a customer's widget in Chinese, the
/// agent's desk and the supervisor's dashboard. The whisper shows on the desk and the monitor, marked internal, and
/// nowhere in the widget; the barge-in shows in all three.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class SupervisionBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task ASupervisorMonitorsALiveChatWhispersToTheAgentAndBargesInToWriteToTheCustomer()
    {
        var http = browser.Http;
        await http.Put(
            "/api/queues/watch",
            new
            {
                name = "Watch",
                offerTimeoutSeconds = 120,
                wrapUpSeconds = new { chat = 0 },
            }
        );
        await http.Put("/api/agents/wes", new { name = "Wes", queues = new[] { new { queueId = "watch" } } });
        var desk = await browser.OpenSignedInAsync("/desk", "wes");
        await http.Post("/api/agents/wes/status", new { status = "Available" });
        await Expect(desk.Locator("#status-now")).ToHaveTextAsync("Available");

        var chat = await browser.OpenAsync("/chat", locale: "zh-CN");
        await chat.GetByLabel("您的姓名").FillAsync("林");
        await chat.GetByLabel("咨询类别").SelectOptionAsync("watch");
        await chat.GetByRole(AriaRole.Button, new() { Name = "开始咨询" }).ClickAsync();
        await desk.Locator(".offer").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await chat.GetByLabel("消息").FillAsync("我的包裹在哪里？");
        await chat.GetByRole(AriaRole.Button, new() { Name = "发送" }).ClickAsync();
        await Expect(desk.Locator(".transcript .message.customer")).ToContainTextAsync("我的包裹在哪里？");

        // The supervisor opens the agent's one live conversation from the agents grid: it shows whole, then live.
        var dashboard = await browser.OpenSignedInAsync("/dashboard", "sol", "supervisor");
        // Opened after the accept, the dashboard shows what Wes holds from the start, not from his next change.
        await Expect(dashboard.Locator("tr[data-agent=wes] [data-field=load]")).ToContainTextAsync("chat 1/");
        await dashboard.Locator("tr[data-agent=wes]").GetByRole(AriaRole.Button, new() { Name = "Monitor: Wes" }).ClickAsync();
        var monitor = dashboard.Locator("#monitor");
        await Expect(monitor.Locator("#monitor-transcript .message.customer")).ToContainTextAsync("我的包裹在哪里？");
        await Expect(monitor.Locator("#monitor-state")).ToContainTextAsync("connected");
        await Expect(monitor.Locator("#monitor-transcript .note.monitor")).ToContainTextAsync("sol started monitoring");
        await desk.GetByLabel("Message").FillAsync("Let me check.");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(monitor.Locator("#monitor-transcript .message.agent")).ToContainTextAsync("Let me check.");

        // Whisper: on the desk and the monitor, marked internal; monitoring itself is not shown to the agent.
        await monitor.GetByLabel("Message").FillAsync("Offer the express refund.");
        await monitor.GetByRole(AriaRole.Button, new() { Name = "Whisper to agent" }).ClickAsync();
        var whisper = desk.Locator(".transcript .note.whisper");
        await Expect(whisper).ToContainTextAsync("Offer the express refund.");
        await Expect(whisper).ToContainTextAsync("Internal");
        await Expect(monitor.Locator("#monitor-transcript .note.whisper")).ToContainTextAsync("Whisper from sol");
        await Expect(desk.Locator(".transcript .note.monitor")).ToHaveCountAsync(0);

        // Barge-in: the customer is told in their language, then the supervisor writes to both sides.
        await monitor.GetByRole(AriaRole.Button, new() { Name = "Barge in" }).ClickAsync();
        await Expect(chat.Locator("#supervisor")).ToHaveTextAsync("主管 sol 已加入会话");
        await Expect(desk.Locator(".transcript .note.barge-in")).ToContainTextAsync("sol joined the conversation");
        await monitor.GetByLabel("Message").FillAsync("I have approved it.");
        await monitor.GetByRole(AriaRole.Button, new() { Name = "Send to customer" }).ClickAsync();
        var said = chat.Locator("#transcript .message.supervisor");
        await Expect(said).ToContainTextAsync("I have approved it.");
        await Expect(said.Locator(".who")).ToHaveTextAsync("主管 sol");
        await Expect(desk.Locator(".transcript .message.supervisor")).ToContainTextAsync("Supervisor sol");
        await BrowserFixture.ScreenshotAsync(dashboard, "dashboard-monitor");
        await BrowserFixture.AssertAccessibleAsync(dashboard, "the dashboard's monitor");
        await BrowserFixture.AssertAccessibleAsync(desk, "the desk with internal notes");
        await BrowserFixture.AssertAccessibleAsync(chat, "the widget with a supervisor, in Chinese");
        await BrowserFixture.ScreenshotAsync(desk, "desk-whisper");
        await BrowserFixture.ScreenshotAsync(chat, "chat-supervisor-zh");

        // The widget never shows a note, and its transcript holds the three messages only.
        await Expect(chat.Locator("#transcript li")).ToHaveCountAsync(3);
        await Expect(chat.Locator("#transcript")).Not.ToContainTextAsync("express");
        Assert.Empty(browser.ErrorsOf(desk, chat, dashboard));
    }
}
