using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// The three pages together, in real Chromium: a customer's chat from the widget to the rating, through the
/// supervisors' dashboard and an agent's desk, each in its own browser.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class WholeStoryTests(BrowserFixture browser)
{
    [Fact]
    public async Task ACustomersChatGoesFromTheWidgetThroughTheDashboardAndTheDeskToARating()
    {
        var http = browser.Http;
        await http.Put(
            "/api/queues/care",
            new
            {
                name = "Care",
                offerTimeoutSeconds = 120,
                wrapUpSeconds = new { chat = 0 },
            }
        );
        await http.Put(
            "/api/agents/ann",
            new
            {
                name = "Ann",
                capacity = new { chat = 2 },
                queues = new[] { new { queueId = "care" } },
            }
        );

        var dashboard = await browser.OpenSignedInAsync("/dashboard", "sam", "supervisor");
        var desk = await browser.OpenSignedInAsync("/desk", "ann");
        await Expect(desk.Locator("#agent-name")).ToHaveTextAsync("Ann (ann)");
        var chat = await browser.OpenAsync("/chat");
        await Expect(chat.GetByLabel("Topic")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(chat, "the widget's start form");
        await BrowserFixture.AssertAccessibleAsync(desk, "the desk, signed in, nothing held");

        // The customer starts a chat; no agent is available yet, so it waits — and the dashboard shows it.
        await chat.GetByLabel("Your name").FillAsync("Mia");
        await chat.GetByLabel("Topic").SelectOptionAsync("care");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(chat.Locator("#position")).ToHaveTextAsync("You are next in line");
        var care = dashboard.Locator("#queue-care");
        await Expect(care.Locator("[data-field=waiting]")).ToHaveTextAsync("1");
        await care.GetByRole(AriaRole.Button).ClickAsync();
        var waiting = dashboard.Locator("#drill-body tr");
        await Expect(waiting).ToHaveCountAsync(1);
        await Expect(waiting).ToContainTextAsync("Mia");
        await Expect(waiting).ToContainTextAsync("standard");
        await BrowserFixture.AssertAccessibleAsync(dashboard, "the dashboard with a queue's drill-down open");
        await BrowserFixture.AssertAccessibleAsync(chat, "the widget waiting in line");
        await dashboard.Locator("#drill-close").ClickAsync();

        // The agent becomes available, gets the offer as a card, and accepts.
        await desk.GetByLabel("My status").SelectOptionAsync("Available");
        await desk.Locator("#status-form button[type=submit]").ClickAsync();
        await Expect(dashboard.Locator("tr[data-agent=ann] [data-field=status]")).ToHaveTextAsync("Available");
        var offer = desk.Locator(".offer");
        await Expect(offer).ToContainTextAsync("Mia");
        await BrowserFixture.AssertAccessibleAsync(desk, "the desk with an offer");
        await Expect(offer).ToContainTextAsync("Care");
        await offer.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();

        // The customer sees who joined; messages go both ways.
        await Expect(chat.Locator("#agent")).ToHaveTextAsync("Ann joined the conversation");
        await Expect(dashboard.Locator("tr[data-agent=ann] [data-field=load]")).ToContainTextAsync("chat 1/2");
        await Expect(care.Locator("[data-field=waiting]")).ToHaveTextAsync("0");
        await chat.GetByLabel("Message").FillAsync("My parcel is late");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(desk.Locator(".transcript .message.customer")).ToContainTextAsync("My parcel is late");
        await desk.GetByLabel("Message").FillAsync("It arrives tomorrow");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(chat.Locator("#transcript .message.agent")).ToContainTextAsync("It arrives tomorrow");
        await BrowserFixture.AssertAccessibleAsync(desk, "the desk in a conversation");
        await BrowserFixture.AssertAccessibleAsync(chat, "the widget in a conversation");
        await BrowserFixture.AssertAccessibleAsync(dashboard, "the dashboard with live figures");
        await BrowserFixture.ScreenshotAsync(dashboard, "dashboard");
        await BrowserFixture.ScreenshotAsync(desk, "desk");
        await BrowserFixture.ScreenshotAsync(chat, "chat");
        // The same three pages in Chinese (the test command installs a CJK font), then back to English.
        foreach (var (page, name) in new[] { (dashboard, "dashboard"), (desk, "desk"), (chat, "chat") })
        {
            await page.GetByLabel("Language").SelectOptionAsync("zh");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
            await BrowserFixture.ScreenshotAsync(page, name + "-zh");
            await page.GetByLabel("语言").SelectOptionAsync("en");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        }

        // The agent completes with a disposition; the customer rates 4, with a comment.
        await desk.GetByLabel("Disposition").FillAsync("resolved");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Expect(desk.Locator("#empty")).ToBeVisibleAsync();
        await Expect(chat.GetByRole(AriaRole.Button, new() { Name = "4" })).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(chat, "the widget's rating");
        await chat.GetByLabel("Anything to tell us? (optional)").FillAsync("Quick and kind.");
        await chat.GetByRole(AriaRole.Button, new() { Name = "4" }).ClickAsync();
        await Expect(chat.Locator("#rated")).ToBeVisibleAsync();

        // The dashboard counted each step.
        await Expect(care.Locator("[data-field=counts]")).ToHaveTextAsync("1 / 1 / 0");
        // The charts' legends say where each queue stands now, without a pointer on them.
        await Expect(dashboard.Locator("#chart-sl .u-legend tr.u-series", new() { HasText = "Care" }).Locator(".u-value"))
            .ToHaveTextAsync("100");
        await Expect(dashboard.Locator("tr[data-agent=ann] [data-field=load]")).ToContainTextAsync("chat 0/2");
        var id = await chat.EvaluateAsync<string>("JSON.parse(localStorage.getItem('routing.chat')).id");
        var done = await (await http.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal("Completed", done.GetProperty("state").GetString());
        Assert.Equal(4, done.GetProperty("rating").GetInt32());
        Assert.Equal("resolved", done.GetProperty("disposition").GetString());
        Assert.Equal(
            "Quick and kind.",
            done.GetProperty("notes")
                .EnumerateArray()
                .Single(n => n.GetProperty("kind").GetString() == "feedback")
                .GetProperty("text")
                .GetString()
        );
        Assert.Empty(browser.ErrorsOf(dashboard, desk, chat));
    }
}
