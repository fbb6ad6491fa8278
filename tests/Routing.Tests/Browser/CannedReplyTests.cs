using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// Canned replies at the desk (docs/self-service.md): an agent finds a knowledge-base answer, or one of its own saved
/// replies, from the reply box, keyboard first, and inserts it with the conversation's fields filled in.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class CannedReplyTests(BrowserFixture browser)
{
    [Fact]
    public async Task AnAgentTypesSlashAndAFewWordsPressesEnterAndSendsTheAnswerWithTheCustomersNameFilledIn()
    {
        await ArticleAsync(
            "parcel-late",
            "Where is my parcel?",
            "my parcel is late",
            "Hello {customer.name}, your parcel {order.id} is on its way.\nKind regards, {agent.name}"
        );
        await ArticleAsync("refund", "How do I get a refund?", "I want my money back", "Open the order and choose Return or refund.");
        var (desk, id) = await ConnectedAsync("parcels", "kit", "Kit", "Lea", "I want my money back");
        var reply = desk.GetByRole(AriaRole.Combobox, new() { Name = "Message" });
        var answers = desk.GetByRole(AriaRole.Listbox, new() { Name = "Answers from the knowledge base and your saved replies" });
        var best = answers.GetByRole(AriaRole.Option).First;

        // "/" alone offers the answers to what the customer said last; Escape closes them and leaves the "/" typed.
        await reply.PressSequentiallyAsync("/");
        await Expect(best).ToContainTextAsync("How do I get a refund?");
        await Expect(best).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(reply).ToHaveAttributeAsync("aria-expanded", "true");
        await reply.PressAsync("Escape");
        await Expect(answers).ToBeHiddenAsync();
        await Expect(reply).ToBeFocusedAsync();
        await Expect(reply).ToHaveValueAsync("/");
        await Expect(reply).ToHaveAttributeAsync("aria-expanded", "false");

        // Words after the "/" search; the answer shows filled in, and Enter puts it in place of "/parcel late".
        await reply.FillAsync("");
        await reply.PressSequentiallyAsync("/parcel late");
        await Expect(best).ToContainTextAsync("Where is my parcel?");
        await Expect(best).ToContainTextAsync("English");
        await Expect(best).ToContainTextAsync("Hello Lea, your parcel");
        await Expect(reply).ToHaveAttributeAsync("aria-activedescendant", (await best.GetAttributeAsync("id"))!);
        await desk.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "desk-canned.png"), FullPage = true });
        await reply.PressAsync("Enter");
        const string answer = "Hello Lea, your parcel {order.id} is on its way. Kind regards, Kit"; // a field the desk does not know stays
        await Expect(reply).ToHaveValueAsync(answer);
        await Expect(answers).ToBeHiddenAsync();

        await reply.PressAsync("Enter");
        await Expect(desk.Locator(".transcript .message.agent .text")).ToHaveTextAsync([answer]);
        var conversation = await (await browser.Http.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Contains(conversation.GetProperty("transcript").EnumerateArray(), m => m.GetProperty("text").GetString() == answer);
        Assert.Empty(browser.ErrorsOf(desk));
    }

    [Fact]
    public async Task CtrlKSearchesTheCustomersLastMessageEscapeGivesTheReplyBoxBackAndAClickInsertsTheAnswerAtTheCaret()
    {
        await ArticleAsync(
            "address-change",
            "Can I change the delivery address?",
            "change my address",
            "Yes, {customer.name}: open the order and choose Change address before it ships."
        );
        await ArticleAsync("delivery-time", "When will my delivery arrive?", "how long does shipping take", "Within three working days.");
        var (desk, _) = await ConnectedAsync("addresses", "lou", "Lou", customerName: null, "Can I still change my delivery address?");
        var reply = desk.GetByRole(AriaRole.Combobox, new() { Name = "Message" });
        var search = desk.GetByRole(AriaRole.Combobox, new() { Name = "Search answers" });
        var answers = desk.GetByRole(AriaRole.Listbox, new() { Name = "Answers from the knowledge base and your saved replies" });
        var options = answers.GetByRole(AriaRole.Option);
        await reply.FillAsync("Thanks for waiting.");

        await desk.Keyboard.PressAsync("Control+k");
        await Expect(search).ToBeFocusedAsync();
        await Expect(options.First).ToContainTextAsync("Can I change the delivery address?");
        await Expect(options.First).ToContainTextAsync("Yes, valued customer:"); // no name: the polite form
        await search.PressAsync("Escape");
        await Expect(answers).ToBeHiddenAsync();
        await Expect(reply).ToBeFocusedAsync();
        await Expect(reply).ToHaveValueAsync("Thanks for waiting.");

        await desk.Keyboard.PressAsync("Control+k");
        await search.PressSequentiallyAsync("delivery");
        await Expect(options).ToHaveCountAsync(2);
        await search.PressAsync("ArrowDown");
        await Expect(options.Nth(1)).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(search).ToHaveAttributeAsync("aria-activedescendant", (await options.Nth(1).GetAttributeAsync("id"))!);
        await search.PressAsync("ArrowDown");
        await Expect(options.First).ToHaveAttributeAsync("aria-selected", "true"); // round to the top
        await options.Filter(new() { HasText = "Can I change the delivery address?" }).ClickAsync();

        await Expect(answers).ToBeHiddenAsync();
        await Expect(reply).ToBeFocusedAsync();
        await Expect(reply)
            .ToHaveValueAsync("Thanks for waiting. Yes, valued customer: open the order and choose Change address before it ships.");
        Assert.Empty(browser.ErrorsOf(desk));
    }

    [Fact]
    public async Task AnAgentSavesWhatItWroteAsItsOwnReplyFindsItFirstAfterAReloadAndDeletesItWithShiftDelete()
    {
        await ArticleAsync(
            "zephyr-warranty",
            "How long is the Zephyr warranty?",
            "zephyr warranty period",
            "Two years from the day you receive it."
        );
        var (desk, _) = await ConnectedAsync("warranties", "mia", "Mia", "Noor", "Is there a warranty?");
        var reply = desk.GetByRole(AriaRole.Combobox, new() { Name = "Message" });
        var answers = desk.GetByRole(AriaRole.Listbox, new() { Name = "Answers from the knowledge base and your saved replies" });
        var options = answers.GetByRole(AriaRole.Option);

        // Nothing written: the desk says to write first. Then what the reply box holds is saved under the title asked for.
        await desk.GetByRole(AriaRole.Button, new() { Name = "Save as my reply" }).ClickAsync();
        await Expect(desk.Locator("#reply-save-status")).ToHaveTextAsync("Write the reply first, then save it.");
        await reply.FillAsync("Thank you {customer.name}, the warranty of your Zephyr is covered by our shop.");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Save as my reply" }).ClickAsync();
        var title = desk.GetByRole(AriaRole.Textbox, new() { Name = "Title of the reply" });
        await Expect(title).ToBeFocusedAsync();
        await title.FillAsync("Warranty by the shop");
        await title.PressAsync("Enter");
        await Expect(desk.Locator("#reply-save-status")).ToContainTextAsync("Saved “Warranty by the shop”");
        await Expect(reply).ToBeFocusedAsync();
        var saved = await (await browser.Http.GetAsync("/api/agents/mia/replies")).Body();
        Assert.Equal("Warranty by the shop", Assert.Single(saved.EnumerateArray()).GetProperty("title").GetString());

        // After a reload, "/zephyr warranty" offers the agent's own first, marked as such, then the knowledge base's answer.
        await desk.ReloadAsync();
        await Expect(reply).ToBeVisibleAsync();
        await reply.PressSequentiallyAsync("/zephyr warranty");
        await Expect(options).ToHaveCountAsync(2);
        await Expect(options.First).ToContainTextAsync("Warranty by the shop");
        await Expect(options.First).ToContainTextAsync("Mine");
        await Expect(options.Nth(1)).ToContainTextAsync("How long is the Zephyr warranty?");
        await reply.PressAsync("Enter");
        await Expect(reply).ToHaveValueAsync("Thank you Noor, the warranty of your Zephyr is covered by our shop.");

        // Shift+Delete on the agent's own deletes it, here and on the server.
        await reply.FillAsync("");
        await reply.PressSequentiallyAsync("/zephyr warranty");
        await Expect(options).ToHaveCountAsync(2);
        await reply.PressAsync("Shift+Delete");
        await Expect(options).ToHaveCountAsync(1);
        await Expect(options.First).ToContainTextAsync("How long is the Zephyr warranty?");
        await Expect(desk.Locator("#reply-save-status")).ToHaveTextAsync("Deleted your reply “Warranty by the shop”.");
        Assert.Equal(0, (await (await browser.Http.GetAsync("/api/agents/mia/replies")).Body()).GetArrayLength());
        Assert.Empty(browser.ErrorsOf(desk));
    }

    private async Task ArticleAsync(string id, string title, string question, string answer)
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

    /// <summary>
    /// An agent signed in at the desk with a conversation of its own queue accepted, in which the customer has just
    /// said <paramref name="customerSays"/>; answers the desk and the conversation's id.
    /// </summary>
    private async Task<(IPage Desk, string Id)> ConnectedAsync(
        string queue,
        string agent,
        string agentName,
        string? customerName,
        string customerSays
    )
    {
        var http = browser.Http;
        await http.Put($"/api/queues/{queue}", new { name = queue, offerTimeoutSeconds = 120 });
        await http.Put($"/api/agents/{agent}", new { name = agentName, queues = new[] { new { queueId = queue } } });
        var desk = await browser.OpenSignedInAsync("/desk", agent);
        await http.Post($"/api/agents/{agent}/status", new { status = "Available" });
        await Expect(desk.Locator("#status-now")).ToHaveTextAsync("Available");
        var created = await (
            await http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = queue,
                    customer = new { id = $"{agent}-customer", name = customerName },
                }
            )
        ).Body();
        var id = created.GetProperty("id").GetString()!;
        await desk.Locator($".offer[data-conversation='{id}']").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await http.Post($"/api/conversations/{id}/messages", new { from = "customer", text = customerSays });
        await Expect(desk.Locator(".transcript .message.customer .text")).ToHaveTextAsync([customerSays]);
        return (desk, id);
    }
}
