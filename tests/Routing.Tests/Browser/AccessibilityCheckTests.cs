using Xunit.Sdk;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// The accessibility check the browser tests run on every page and state (<see cref="BrowserFixture.AssertAccessibleAsync"/>)
/// finds what it is there to find: a button with no name on an otherwise clean page fails it, named.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityCheckTests(BrowserFixture browser)
{
    [Fact]
    public async Task AButtonWithoutANameFailsTheCheckThatTheCleanPagePasses()
    {
        var chat = await browser.OpenAsync("/chat");
        await Expect(chat.GetByLabel("Topic")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(chat, "the widget's start form");

        await chat.EvaluateAsync("() => document.querySelector('main').append(document.createElement('button'))");
        var failed = await Assert.ThrowsAsync<TrueException>(() => BrowserFixture.AssertAccessibleAsync(chat, "a nameless button"));
        Assert.Contains("critical button-name", failed.Message, StringComparison.Ordinal);
    }
}
