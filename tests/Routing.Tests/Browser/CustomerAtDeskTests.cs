using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// The customer at the desk (docs/conversations.md, "The customer at the desk"), in Chinese: beside a returning customer's
/// chat, their tier and attributes and their earlier conversation with its rating and the private note left on it; the
/// agent leaves a note on this one.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class CustomerAtDeskTests(BrowserFixture browser)
{
    [Fact]
    public async Task AReturningCustomersEarlierConversationAndItsNoteShowBesideTheNewOneAndTheAgentNotesThisOne()
    {
        var http = browser.Http;
        await http.Put(
            "/api/queues/repeat",
            new
            {
                name = "Repeat",
                offerTimeoutSeconds = 120,
                wrapUpSeconds = new { chat = 0 },
            }
        );
        await http.Put("/api/agents/rui", new { name = "Rui", queues = new[] { new { queueId = "repeat" } } });
        var desk = await browser.OpenSignedInAsync("/desk", "rui");
        await desk.GetByLabel("Language").SelectOptionAsync("zh");
        await http.Post("/api/agents/rui/status", new { status = "Available" });

        // The customer's first chat: the desk takes it; a note is left on it, it is completed and rated 2.
        var (earlier, token) = await StartAsync();
        await desk.Locator($".offer[data-conversation='{earlier}']").GetByRole(AriaRole.Button, new() { Name = "接受" }).ClickAsync();
        await Expect(desk.Locator($"#tab-{earlier}")).ToBeVisibleAsync();
        await http.Post($"/api/conversations/{earlier}/notes", new { text = "退款已承诺，周五前到账" });
        await http.Post($"/api/conversations/{earlier}/complete", new { agentId = "rui", disposition = "refund" });
        using var customer = new HttpClient { BaseAddress = browser.Silo.Address }.WithToken(token);
        Assert.True((await customer.Post($"/api/conversations/{earlier}/rating", new { score = 2 })).IsSuccessStatusCode);
        await Expect(desk.Locator($"#tab-{earlier}")).ToHaveCountAsync(0);

        // The customer comes back.
        var (now, _) = await StartAsync();
        await desk.Locator($".offer[data-conversation='{now}']").GetByRole(AriaRole.Button, new() { Name = "接受" }).ClickAsync();

        var details = desk.Locator(".details");
        await Expect(details).ToContainTextAsync("VIP-7");
        var past = details.Locator($"ol.history li[data-conversation='{earlier}']");
        await Expect(past).ToContainTextAsync("refund");
        await Expect(past).ToContainTextAsync("评分 2/5");
        await Expect(past.Locator(".note-text")).ToHaveTextAsync("退款已承诺，周五前到账");

        await details.GetByLabel("私密备注").FillAsync("再次来询问退款");
        await details.GetByRole(AriaRole.Button, new() { Name = "保存备注" }).ClickAsync();
        await Expect(desk.Locator(".transcript .note.note")).ToContainTextAsync("再次来询问退款");
        await BrowserFixture.ScreenshotAsync(desk, "desk-customer-zh");
        await BrowserFixture.AssertAccessibleAsync(desk, "the desk with the customer's history, in Chinese");
        var notes = (await (await http.GetAsync($"/api/conversations/{now}")).Body()).GetProperty("notes");
        Assert.Equal("再次来询问退款", notes[0].GetProperty("text").GetString());
        Assert.Empty(browser.ErrorsOf(desk));
    }

    private async Task<(string Id, string Token)> StartAsync()
    {
        var created = await (
            await browser.Http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "repeat",
                    customer = new
                    {
                        id = "lin-repeat",
                        name = "林",
                        tier = "gold",
                    },
                    attributes = new { membership = "VIP-7" },
                }
            )
        ).Body();
        return (created.GetProperty("id").GetString()!, created.GetProperty("customerToken").GetString()!);
    }
}
