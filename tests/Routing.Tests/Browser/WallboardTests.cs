using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// The dashboard on the wall: a wait past the queue's target is flagged in its row, and the wallboard shows one queue at
/// a time in large figures, the rest of the dashboard hidden, until Escape.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class WallboardTests(BrowserFixture browser)
{
    [Fact]
    public async Task ALongWaitIsFlaggedAndTheWallboardShowsAQueueInLargeFiguresUntilEscape()
    {
        var http = browser.Http;
        await http.Put("/api/queues/wall", new { name = "Wall", serviceLevel = new { targetSeconds = 1, percent = 80 } });
        await http.Post(
            "/api/conversations",
            new
            {
                channel = "chat",
                queueId = "wall",
                customer = new { id = "on-the-wall" },
            }
        );
        var dashboard = await browser.OpenSignedInAsync("/dashboard", "walt", "supervisor");
        await Expect(dashboard.Locator("#queue-wall [data-field=longest]"))
            .ToHaveClassAsync(new System.Text.RegularExpressions.Regex("long-wait"));

        await dashboard.GetByRole(AriaRole.Button, new() { Name = "Wallboard" }).ClickAsync();
        var board = dashboard.Locator("#wallboard");
        await Expect(board).ToBeVisibleAsync();
        await Expect(dashboard.Locator("#queues")).ToBeHiddenAsync();
        await Expect(board.Locator(".figure")).ToHaveCountAsync(5);
        await Expect(board.Locator(".figure.breach")).Not.ToHaveCountAsync(0); // the long wait, in red
        await BrowserFixture.AssertAccessibleAsync(dashboard, "the wallboard");
        await BrowserFixture.ScreenshotAsync(dashboard, "dashboard-wallboard");

        await dashboard.Keyboard.PressAsync("Escape");
        await Expect(board).ToBeHiddenAsync();
        await Expect(dashboard.Locator("#queues")).ToBeVisibleAsync();
        Assert.Empty(browser.ErrorsOf(dashboard));
    }
}
