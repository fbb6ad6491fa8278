using Microsoft.Playwright;
using Routing.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Routing.Tests.Browser;

/// <summary>
/// The real server as a process (embedded mode, a data directory of its own) and Debian's Chromium driven by
/// Playwright — never a downloaded browser. Pages are opened in separate browser contexts, one per person; the staff
/// sign in through the pages' own form with accounts the tests make through the admin API.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Where the README's test command installs Chromium (Debian's package).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "routing-browser-tests", Guid.NewGuid().ToString("N"));
    private readonly System.Collections.Concurrent.ConcurrentDictionary<
        IPage,
        System.Collections.Concurrent.ConcurrentQueue<string>
    > _errors = new();
    private IPlaywright? _playwright;

    public SiloProcess Silo { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Screenshots the tests make, kept under the test output (docs/ holds the committed set).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The axe accessibility engine (tests/accessibility, installed by ./test.sh).</summary>
    private static readonly string AxePath = Path.Combine(
        Repository.Root,
        "tests",
        "accessibility",
        "node_modules",
        "axe-core",
        "axe.min.js"
    );

    /// <summary>
    /// Runs axe (WCAG 2.1 A and AA rules) on the page as it is now and fails on any serious or critical violation, naming
    /// each with the elements at fault; <paramref name="state"/> says which state of which page was checked.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page, string state)
    {
        if (!File.Exists(AxePath))
        {
            throw new InvalidOperationException(
                $"{AxePath} is missing: run the suite with ./test.sh, which runs npm ci in tests/accessibility."
            );
        }
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            // Evaluated, not added as a script tag: the pages' Content-Security-Policy rightly refuses inline scripts.
            await page.EvaluateAsync(await File.ReadAllTextAsync(AxePath));
        }
        var found = await page.EvaluateAsync<string[]>(
            """
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
            }
            """
        );
        Assert.True(
            found.Length == 0,
            $"{state}: {found.Length} serious or critical accessibility violations:\n{string.Join("\n", found)}"
        );
    }

    /// <summary>The whole page as it is now, into <see cref="ScreenshotDirectory"/> as <paramref name="name"/>.png.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing: run the suite with ./test.sh, which installs Debian's chromium."
            );
        }
        Silo = await SiloProcess.StartAsync(_data);
        Http = new HttpClient { BaseAddress = Silo.Address }.WithToken(TestTokens.Admin);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>
    /// A person's own browser: its own storage, English unless told otherwise, a 1280×800 window; on this fixture's
    /// server unless another is named.
    /// </summary>
    public async Task<IPage> OpenAsync(string path, string locale = "en-US", int width = 1280, int height = 800, Uri? server = null)
    {
        var context = await Browser.NewContextAsync(
            new()
            {
                Locale = locale,
                ViewportSize = new() { Width = width, Height = height },
                BaseURL = (server ?? Silo.Address).ToString(),
            }
        );
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var errors = _errors.GetOrAdd(page, _ => []);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Enqueue($"{path}: {message.Text} ({message.Location})"); // a failed load names its address only here
            }
        };
        page.PageError += (_, error) => errors.Enqueue($"{path}: {error}");
        await page.GotoAsync(path);
        return page;
    }

    /// <summary>
    /// A built-in account of workspace <c>default</c>, made (or replaced) through the admin API; answers its
    /// password. An agent's account is for the agent of the same id.
    /// </summary>
    public async Task<string> AccountAsync(string userName, string role = "agent")
    {
        var password = $"{userName}-secret-password";
        var made = await Http.Put(
            $"/api/accounts/{userName}",
            new
            {
                role,
                agentId = role == "agent" ? userName : null,
                password,
            }
        );
        Assert.True(made.IsSuccessStatusCode, await made.Content.ReadAsStringAsync());
        return password;
    }

    /// <summary>Opens a staff page and signs in through its form with a fresh account (<see cref="AccountAsync"/>).</summary>
    public async Task<IPage> OpenSignedInAsync(string path, string userName, string role = "agent")
    {
        var password = await AccountAsync(userName, role);
        var page = await OpenAsync(path);
        await SignInAsync(page, userName, password);
        await Expect(page.Locator("#sign-in")).ToBeHiddenAsync();
        return page;
    }

    /// <summary>Fills the page's sign-in form and submits it; what follows is the caller's to expect.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        var form = page.Locator("#sign-in");
        await form.GetByLabel("User name").FillAsync(userName);
        await form.GetByLabel("Password").FillAsync(password);
        await form.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>The script errors and failed loads these pages reported.</summary>
    public List<string> ErrorsOf(params IPage[] pages) => pages.SelectMany(p => _errors.GetValueOrDefault(p) ?? []).ToList();

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Http?.Dispose();
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException) { }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
