using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>Typing indicators both ways: the customer typing in the widget shows on the desk, the agent typing on the widget.</summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class TypingTests(BrowserFixture browser)
{
    [Fact]
    public async Task WhatOneSideTypesShowsAsTypingOnTheOther()
    {
        var http = browser.Http;
        await http.Put("/api/queues/typing", new { name = "Typing", offerTimeoutSeconds = 120 });
        await http.Put("/api/agents/tia", new { name = "Tia", queues = new[] { new { queueId = "typing" } } });
        var desk = await browser.OpenSignedInAsync("/desk", "tia");
        await http.Post("/api/agents/tia/status", new { status = "Available" });
        await Expect(desk.Locator("#status-now")).ToHaveTextAsync("Available");

        var chat = await browser.OpenAsync("/chat");
        await chat.GetByLabel("Your name").FillAsync("Tom");
        await chat.GetByLabel("Topic").SelectOptionAsync("typing");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await desk.Locator(".offer").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(chat.Locator("#agent")).ToHaveTextAsync("Tia joined the conversation");

        await Expect(desk.Locator(".typing")).ToBeHiddenAsync();
        await chat.GetByLabel("Message").PressSequentiallyAsync("Where is");
        await Expect(desk.Locator(".typing")).ToBeVisibleAsync();
        await Expect(desk.Locator(".typing")).ToHaveTextAsync("Tom is typing…");
        await Expect(chat.Locator("#typing")).ToBeHiddenAsync();
        await desk.GetByLabel("Message").PressSequentiallyAsync("Let me");
        await Expect(chat.Locator("#typing")).ToBeVisibleAsync();
        await Expect(chat.Locator("#typing")).ToHaveTextAsync("Tia is typing…");
        Assert.Empty(browser.ErrorsOf(desk, chat));
    }
}
