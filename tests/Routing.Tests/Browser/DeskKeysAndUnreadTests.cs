using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// The desk with several chats: offers answered from the keyboard (Alt+A accepts, Alt+D declines), and a tab counting the
/// messages that arrived while another conversation was on screen, cleared when it is opened.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class DeskKeysAndUnreadTests(BrowserFixture browser)
{
    [Fact]
    public async Task OffersAreAnsweredFromTheKeyboardAndATabCountsWhatArrivedWhileAnotherWasShown()
    {
        var http = browser.Http;
        await http.Put("/api/queues/keys", new { name = "Keys", offerTimeoutSeconds = 120 });
        await http.Put("/api/queues/keys-2", new { name = "Keys, second line", offerTimeoutSeconds = 120 });
        await http.Put(
            "/api/agents/kim",
            new
            {
                name = "Kim",
                capacity = new { chat = 2 },
                queues = new[] { new { queueId = "keys" } },
            }
        );
        var desk = await browser.OpenSignedInAsync("/desk", "kim");
        await http.Post("/api/agents/kim/status", new { status = "Available" });
        await Expect(desk.Locator("#status-now")).ToHaveTextAsync("Available");

        var first = await StartAsync("Ada");
        await Expect(desk.Locator($".offer[data-conversation='{first}']")).ToContainTextAsync("Alt+A");
        await desk.Keyboard.PressAsync("Alt+A");
        await Expect(desk.Locator($"#tab-{first}")).ToBeVisibleAsync();

        var second = await StartAsync("Ben");
        await desk.Locator($".offer[data-conversation='{second}']").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(desk.Locator($"#tab-{second}")).ToHaveAttributeAsync("aria-selected", "true");

        // Ada writes while Ben's conversation is on screen: her tab counts it, until it is opened.
        await http.Post($"/api/conversations/{first}/messages", new { from = "customer", text = "Are you there?" });
        await http.Post($"/api/conversations/{first}/messages", new { from = "customer", text = "Hello?" });
        await Expect(desk.Locator($"#tab-{first} [data-field=unread]")).ToHaveTextAsync("2");
        await BrowserFixture.AssertAccessibleAsync(desk, "the desk with two chats, one with unread messages");
        await desk.Locator($"#tab-{first}").ClickAsync();
        await Expect(desk.Locator(".transcript .message.customer .text")).ToHaveTextAsync(["Are you there?", "Hello?"]);
        await Expect(desk.Locator($"#tab-{first} [data-field=unread]")).ToHaveCountAsync(0);

        // What she writes while the desk is offline comes in the snapshot after the reconnect, and counts as unread too.
        await desk.Locator($"#tab-{second}").ClickAsync();
        await desk.Context.SetOfflineAsync(true);
        await Expect(desk.Locator("#connection-banner")).ToBeVisibleAsync();
        await http.Post($"/api/conversations/{first}/messages", new { from = "customer", text = "Still there?" });
        await desk.Context.SetOfflineAsync(false);
        await Expect(desk.Locator("#connection-banner")).ToBeHiddenAsync();
        await Expect(desk.Locator($"#tab-{first} [data-field=unread]")).ToHaveTextAsync("1");
        await desk.Locator($"#tab-{first}").ClickAsync();
        await Expect(desk.Locator(".transcript .message.customer .text")).ToHaveTextAsync(["Are you there?", "Hello?", "Still there?"]);
        await Expect(desk.Locator($"#tab-{first} [data-field=unread]")).ToHaveCountAsync(0);

        // With both slots taken the third waits; given a third slot, Kim is offered it and declines it with Alt+D.
        var third = await StartAsync("Cy");
        var offer = desk.Locator($".offer[data-conversation='{third}']");
        await http.Put(
            "/api/agents/kim",
            new
            {
                name = "Kim",
                capacity = new { chat = 3 },
                queues = new[] { new { queueId = "keys" } },
            }
        );
        await Expect(offer).ToBeVisibleAsync();
        await desk.Keyboard.PressAsync("Alt+D");
        await Expect(offer).ToHaveCountAsync(0);

        // A transfer with a reason: the reason goes with the conversation as a note the next agent reads.
        await desk.Locator($"#tab-{first}").ClickAsync();
        await desk.GetByLabel("Reason for a transfer (optional)").FillAsync("Needs the second line");
        await desk.GetByLabel("Transfer to queue").SelectOptionAsync("keys-2");
        await desk.Locator("form.transfer", new() { Has = desk.GetByLabel("Transfer to queue") }).GetByRole(AriaRole.Button).ClickAsync();
        await Expect(desk.Locator($"#tab-{first}")).ToHaveCountAsync(0);
        var moved = await (await http.GetAsync($"/api/conversations/{first}")).Body();
        Assert.Equal("keys-2", moved.GetProperty("queueId").GetString());
        Assert.Equal("Needs the second line", moved.GetProperty("notes")[0].GetProperty("text").GetString());
        // while offline, loads fail
        Assert.DoesNotContain(browser.ErrorsOf(desk), e => !e.Contains("ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal));
    }

    private async Task<string> StartAsync(string customer)
    {
        var created = await (
            await browser.Http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "keys",
                    customer = new { id = customer.ToLowerInvariant() + "-keys", name = customer },
                }
            )
        ).Body();
        return created.GetProperty("id").GetString()!;
    }
}
