using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>What supervisors do to agents and conversations, and a desk that loses its network and comes back.</summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class SupervisorAndDeskTests(BrowserFixture browser)
{
    [Fact]
    public async Task ASupervisorSetsAnAgentAwayAndMovesAWaitingConversationToAnotherQueuesAgent()
    {
        var http = browser.Http;
        await http.Put("/api/queues/billing", new { name = "Billing", offerTimeoutSeconds = 120 });
        await http.Put("/api/queues/sales", new { name = "Sales", offerTimeoutSeconds = 120 });
        await http.Put("/api/agents/cy", new { name = "Cy", queues = new[] { new { queueId = "billing" } } });
        await http.Put("/api/agents/dee", new { name = "Dee", queues = new[] { new { queueId = "sales" } } });
        var cy = await browser.OpenSignedInAsync("/desk", "cy");
        var dee = await browser.OpenSignedInAsync("/desk", "dee");
        await http.Post("/api/agents/cy/status", new { status = "Available" });
        await http.Post("/api/agents/dee/status", new { status = "Available" });
        await Expect(cy.Locator("#status-now")).ToHaveTextAsync("Available");
        var dashboard = await browser.OpenSignedInAsync("/dashboard", "sue", "supervisor");

        var row = dashboard.Locator("tr[data-agent=cy]");
        await row.GetByRole(AriaRole.Combobox).SelectOptionAsync("Away");
        await row.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(cy.Locator("#status-now")).ToHaveTextAsync("Away — supervisor");
        await Expect(row.Locator("[data-field=status]")).ToHaveTextAsync("Away — supervisor");
        await dashboard.GetByLabel("Show agents").SelectOptionAsync("Away");
        await Expect(row).ToBeVisibleAsync();
        await Expect(dashboard.Locator("tr[data-agent=dee]")).ToHaveCountAsync(0); // Available
        await dashboard.GetByLabel("Show agents").SelectOptionAsync("");
        await Expect(dashboard.Locator("tr[data-agent=dee]")).ToBeVisibleAsync();

        // The agents of one queue, counted by state; a state's button shows only those, pressed again all of them.
        await dashboard.Locator("#agent-queue-filter").SelectOptionAsync("sales");
        await Expect(dashboard.Locator("tr[data-agent=cy]")).ToHaveCountAsync(0);
        var byState = dashboard.Locator("#agents-by-state");
        await Expect(byState.Locator("[data-state=Available] [data-field=count]")).ToHaveTextAsync("1");
        await Expect(byState.Locator("[data-state=Away] [data-field=count]")).ToHaveTextAsync("0");
        await dashboard.Locator("#agent-queue-filter").SelectOptionAsync("billing");
        await Expect(byState.Locator("[data-state=Away] [data-field=count]")).ToHaveTextAsync("1");
        await Expect(byState.Locator("[data-state=Away]")).ToContainTextAsync("longest");
        await byState.Locator("[data-state=Available]").ClickAsync();
        await Expect(dashboard.Locator("#agents-body tr")).ToHaveCountAsync(0);
        await Expect(byState.Locator("[data-state=Available]")).ToHaveAttributeAsync("aria-pressed", "true");
        await byState.Locator("[data-state=Available]").ClickAsync();
        await Expect(row).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(dashboard, "the dashboard's agents filtered by queue");
        await dashboard.Locator("#agent-queue-filter").SelectOptionAsync("");

        // Nobody in Billing is available: the conversation waits there until the supervisor moves it to Sales.
        var created = await (
            await http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "billing",
                    customer = new
                    {
                        id = "zed",
                        name = "Zed",
                        tier = "gold",
                    },
                }
            )
        ).Body();
        var id = created.GetProperty("id").GetString()!;
        await Expect(dashboard.Locator("#queue-billing [data-field=waiting]")).ToHaveTextAsync("1");
        await dashboard.Locator("#queue-billing").GetByRole(AriaRole.Button).ClickAsync();
        var waiting = dashboard.Locator($"#drill-body tr[data-conversation='{id}']");
        await Expect(waiting).ToContainTextAsync("Zed");
        await Expect(waiting).ToContainTextAsync("gold");
        await dashboard.GetByLabel("Move to").First.SelectOptionAsync("sales");
        await waiting.GetByRole(AriaRole.Button, new() { Name = "Move" }).ClickAsync();

        await Expect(dee.Locator($".offer[data-conversation='{id}']")).ToContainTextAsync("Zed");
        await Expect(dashboard.Locator("#drill-body tr")).ToHaveCountAsync(0);
        Assert.Empty(browser.ErrorsOf(cy, dee, dashboard));
    }

    [Fact]
    public async Task ADeskTakenOfflineAndBackShowsThePendingOfferAndItsConversationWithoutARepeatedMessage()
    {
        var http = browser.Http;
        await http.Put("/api/queues/returns", new { name = "Returns", offerTimeoutSeconds = 120 });
        await http.Put(
            "/api/agents/eve",
            new
            {
                name = "Eve",
                capacity = new { chat = 2 },
                queues = new[] { new { queueId = "returns" } },
            }
        );
        var desk = await browser.OpenSignedInAsync("/desk", "eve");
        await Expect(desk.Locator("#agent-name")).ToHaveTextAsync("Eve (eve)");
        await http.Post("/api/agents/eve/status", new { status = "Available" });
        var first = await StartAsync("Fay");
        await desk.Locator($".offer[data-conversation='{first}']").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await http.Post($"/api/conversations/{first}/messages", new { from = "customer", text = "one" });
        var customerSays = desk.Locator(".transcript .message.customer .text");
        await Expect(customerSays).ToHaveTextAsync(["one"]);

        await desk.Context.SetOfflineAsync(true);
        await Expect(desk.Locator("#connection-banner")).ToBeVisibleAsync();
        await http.Post($"/api/conversations/{first}/messages", new { from = "customer", text = "two" });
        var second = await StartAsync("Gus"); // offered to Eve, who has room, while her desk cannot hear
        await desk.Context.SetOfflineAsync(false);

        await Expect(desk.Locator("#connection-banner")).ToBeHiddenAsync();
        await Expect(desk.Locator($".offer[data-conversation='{second}']")).ToContainTextAsync("Gus");
        await Expect(customerSays).ToHaveTextAsync(["one", "two"]);
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
                    queueId = "returns",
                    customer = new { id = customer.ToLowerInvariant(), name = customer },
                }
            )
        ).Body();
        return created.GetProperty("id").GetString()!;
    }
}
