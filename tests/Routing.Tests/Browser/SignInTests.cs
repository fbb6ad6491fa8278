using Microsoft.Playwright;
using Routing.Client;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// The desk and the dashboard sign in with the workspace's built-in accounts: refusals are said in words, a locked
/// account stays locked, a page serves only its roles, and signing out or a token the server no longer takes brings
/// the form back.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser)
{
    private const string WrongPassword = "not-the-password";

    [Fact]
    public async Task AWrongPasswordIsRefusedWithAMessageAndOpensNoDesk()
    {
        await browser.AccountAsync("kim");
        var desk = await browser.OpenAsync("/desk");

        await BrowserFixture.SignInAsync(desk, "kim", WrongPassword);

        await Expect(desk.Locator("#sign-in-error")).ToHaveTextAsync("The user name or the password is wrong.");
        await Expect(desk.Locator("#sign-in")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(desk, "the sign-in form with its error");
        await Expect(desk.Locator("#desk")).ToBeHiddenAsync();
        await Expect(desk.Locator("#session")).ToBeHiddenAsync();
        Assert.Empty(UnexpectedErrors(desk, 401, "/api/auth/token"));
    }

    [Fact]
    public async Task AfterFiveWrongPasswordsTheRightOneIsRefusedAsLocked()
    {
        var password = await browser.AccountAsync("lou");
        var desk = await browser.OpenAsync("/desk");
        var error = desk.Locator("#sign-in-error");
        var submit = desk.Locator("#sign-in button[type=submit]");

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await BrowserFixture.SignInAsync(desk, "lou", WrongPassword);
            await Expect(error).ToHaveTextAsync("The user name or the password is wrong.");
            await Expect(submit).ToBeEnabledAsync();
        }
        await BrowserFixture.SignInAsync(desk, "lou", WrongPassword);
        await Expect(error).ToHaveTextAsync("Too many failed sign-ins: this account is locked. Try again in 15 min.");
        await Expect(submit).ToBeEnabledAsync();

        await BrowserFixture.SignInAsync(desk, "lou", password);

        await Expect(submit).ToBeEnabledAsync();
        await Expect(error).ToContainTextAsync("this account is locked");
        await Expect(desk.Locator("#desk")).ToBeHiddenAsync();
        var account = await (await browser.Http.GetAsync("/api/accounts/lou")).Body();
        Assert.True(account.GetProperty("lockedUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(14));
        Assert.Empty(UnexpectedErrors(desk, 401, "/api/auth/token"));
    }

    [Fact]
    public async Task ADeskOverItsAgentsConnectionCapSaysWhyAndStopsTrying()
    {
        await browser.Http.Put("/api/queues/front", new { name = "Front" });
        await browser.Http.Put("/api/agents/capped", new { name = "Capped", queues = new[] { new { queueId = "front" } } });
        var others = new List<AgentConnection>();
        try
        {
            for (var i = 0; i < 10; i++) // the server's cap (Routing:Realtime:MaxConnectionsPerAgent)
            {
                var other = new AgentConnection(
                    new RealtimeOptions { Server = browser.Silo.Address, AccessTokenProvider = TestTokens.AdminProvider },
                    "capped"
                );
                others.Add(other);
                await other.StartAsync();
            }
            var desk = await browser.OpenSignedInAsync("/desk", "capped");

            await Expect(desk.Locator("#error")).ToContainTextAsync("at most 10 connections");
            await Expect(desk.Locator("#connection-banner")).ToBeHiddenAsync(); // not "reconnecting…" for ever
        }
        finally
        {
            foreach (var other in others)
            {
                await other.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ADeskSignedInThenSignedOutShowsTheFormAgain()
    {
        await browser.Http.Put("/api/queues/front", new { name = "Front" });
        await browser.Http.Put("/api/agents/mo", new { name = "Mo", queues = new[] { new { queueId = "front" } } });
        var desk = await browser.OpenSignedInAsync("/desk", "mo");
        await Expect(desk.Locator("#agent-name")).ToHaveTextAsync("Mo (mo)");
        await Expect(desk.Locator("#session-who")).ToHaveTextAsync("mo · default");

        await desk.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(desk.GetByLabel("User name")).ToBeVisibleAsync();
        await Expect(desk.Locator("#desk")).ToBeHiddenAsync();
        await Expect(desk.Locator("#session")).ToBeHiddenAsync();
        await Expect(desk.Locator("#sign-in-error")).ToBeHiddenAsync();
        Assert.Null(await desk.EvaluateAsync<string?>("sessionStorage.getItem('routing.session.desk')"));
        Assert.Empty(browser.ErrorsOf(desk));
    }

    [Fact]
    public async Task TheDashboardRefusesAnAgentsAccount()
    {
        var password = await browser.AccountAsync("nat");
        var dashboard = await browser.OpenAsync("/dashboard");

        await BrowserFixture.SignInAsync(dashboard, "nat", password);

        await Expect(dashboard.Locator("#sign-in-error"))
            .ToHaveTextAsync("The dashboard is for supervisors and admins; this account's role is agent.");
        await Expect(dashboard.Locator("#board")).ToBeHiddenAsync();
        Assert.Null(await dashboard.EvaluateAsync<string?>("sessionStorage.getItem('routing.session.dashboard')"));
        Assert.Empty(browser.ErrorsOf(dashboard));
    }

    [Fact]
    public async Task ADeskWhoseTokenTheServerNoLongerTakesReturnsToTheFormSayingWhy()
    {
        await browser.Http.Put("/api/queues/front", new { name = "Front" });
        await browser.Http.Put("/api/agents/oz", new { name = "Oz", queues = new[] { new { queueId = "front" } } });
        var desk = await browser.OpenSignedInAsync("/desk", "oz");
        await Expect(desk.Locator("#agent-name")).ToHaveTextAsync("Oz (oz)");

        // The token still looks valid to the page (its expiry is ahead), but the server refuses it: signed with
        // another key, as after a key rotation.
        await desk.EvaluateAsync(
            """
            token => {
              const session = JSON.parse(sessionStorage.getItem('routing.session.desk'));
              sessionStorage.setItem('routing.session.desk', JSON.stringify({ ...session, token }));
            }
            """,
            TestTokens.BadSignature("agent", "oz")
        );
        await desk.ReloadAsync();

        await Expect(desk.Locator("#sign-in-error")).ToHaveTextAsync("Your session has ended. Sign in again.");
        await Expect(desk.Locator("#desk")).ToBeHiddenAsync();
        Assert.Empty(UnexpectedErrors(desk, 401, "/api/agents/oz"));
    }

    [Fact]
    public async Task OnADevelopmentServerTheDeskAndTheDashboardSignInWithoutAPassword()
    {
        var data = Path.Combine(Path.GetTempPath(), "routing-browser-tests", Guid.NewGuid().ToString("N"));
        var development = await SiloProcess.StartInDevelopmentAsync(data);
        try
        {
            using var http = new HttpClient { BaseAddress = development.Address }.WithToken(TestTokens.Admin);
            await http.Put("/api/queues/lab", new { name = "Lab" });
            await http.Put("/api/agents/pat", new { name = "Pat", queues = new[] { new { queueId = "lab" } } });
            var desk = await browser.OpenAsync("/desk", server: development.Address);
            var dashboard = await browser.OpenAsync("/dashboard", server: development.Address);

            // An agent id with no agent behind it is named, and the form offered again.
            await desk.GetByLabel("Agent id").FillAsync("nobody");
            await desk.GetByRole(AriaRole.Button, new() { Name = "Sign in as this agent" }).ClickAsync();
            await Expect(desk.Locator("#sign-in-error"))
                .ToHaveTextAsync("This account is for agent 'nobody', and there is no such agent in its workspace.");
            await desk.GetByLabel("Agent id").FillAsync("pat");
            await desk.GetByRole(AriaRole.Button, new() { Name = "Sign in as this agent" }).ClickAsync();
            await dashboard.GetByRole(AriaRole.Button, new() { Name = "Sign in as a supervisor" }).ClickAsync();

            await Expect(desk.Locator("#agent-name")).ToHaveTextAsync("Pat (pat)");
            await Expect(dashboard.Locator("tr[data-agent=pat]")).ToContainTextAsync("Pat");
            await Expect(dashboard.Locator("#session-who")).ToHaveTextAsync("supervisor · default");
            Assert.Empty(UnexpectedErrors(desk, 404, "/api/agents/nobody"));
            Assert.Empty(browser.ErrorsOf(dashboard));
        }
        finally
        {
            await development.DisposeAsync();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException) { }
        }
    }

    /// <summary>The console errors of a page but the failed loads of the refusals the test asks for (Chromium logs each one).</summary>
    private List<string> UnexpectedErrors(IPage page, int status, string refused) =>
        browser
            .ErrorsOf(page)
            .Where(e => !(e.Contains($"status of {status}", StringComparison.Ordinal) && e.Contains(refused, StringComparison.Ordinal)))
            .ToList();
}
