using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// Wrap-up at the desk (docs/conversations.md, "Completion and wrap-up"): completing shows the wrap-up's countdown, which
/// runs down; "Finish wrap-up" ends it early, the tab closes and the conversation is Completed. A desk opened during the
/// wrap-up shows the same countdown from the snapshot.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed partial class WrapUpDeskTests(BrowserFixture browser)
{
    [Fact]
    public async Task CompletingShowsTheWrapUpCountdownAndTheAgentFinishesItEarly()
    {
        var http = browser.Http;
        await http.Put("/api/queues/wrapping", new { name = "Wrapping", wrapUpSeconds = new { chat = 300 } });
        await http.Put("/api/agents/wes", new { name = "Wes", queues = new[] { new { queueId = "wrapping" } } });
        var desk = await browser.OpenSignedInAsync("/desk", "wes");
        await http.Post("/api/agents/wes/status", new { status = "Available" });
        await Expect(desk.Locator("#status-now")).ToHaveTextAsync("Available");
        var created = await (
            await http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "wrapping",
                    customer = new { id = "wrap-1", name = "Wen" },
                }
            )
        ).Body();
        var id = created.GetProperty("id").GetString()!;
        await desk.Locator($".offer[data-conversation='{id}']").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(desk.Locator($"#tab-{id}")).ToBeVisibleAsync();

        await desk.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        var countdown = desk.Locator("[data-wrapup-ends]");
        await Expect(countdown).ToBeVisibleAsync();
        await Expect(countdown).ToHaveTextAsync(SecondsLeft());
        var first = Left(await countdown.TextContentAsync());
        Assert.InRange(first, 290, 300);
        await Expect(countdown).Not.ToHaveTextAsync($"Wrapping up: {first} s left"); // it runs down
        Assert.True(Left(await countdown.TextContentAsync()) < first);
        await Expect(desk.Locator($"#tab-{id}")).ToHaveClassAsync("wrapup");

        // A desk opened meanwhile (another window, a reload) shows the same countdown from the snapshot.
        await desk.ReloadAsync();
        await Expect(desk.Locator("[data-wrapup-ends]")).ToHaveTextAsync(SecondsLeft());
        await BrowserFixture.AssertAccessibleAsync(desk, "the desk in wrap-up");
        await BrowserFixture.ScreenshotAsync(desk, "desk-wrapup");

        await desk.GetByRole(AriaRole.Button, new() { Name = "Finish wrap-up" }).ClickAsync();
        await Expect(desk.Locator($"#tab-{id}")).ToHaveCountAsync(0);
        var done = await (await http.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal("Completed", done.GetProperty("state").GetString());
        Assert.Empty(browser.ErrorsOf(desk));
    }

    private static int Left(string? text) => int.Parse(SecondsLeft().Match(text ?? "").Groups[1].Value);

    [GeneratedRegex(@"^Wrapping up: (\d+) s left$")]
    private static partial Regex SecondsLeft();
}
