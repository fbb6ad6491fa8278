using System.Net;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>
/// The pages go out with a Content-Security-Policy that allows no inline script or style and no framing (the chat
/// widget: framing by the configured sites); every response says nosniff. That the pages run under it without a
/// single violation is shown by the browser tests, which fail on any console error.
/// </summary>
// One server for the class (its tests only read from it): a server per test was most of the fast suite's time.
public sealed class SecurityHeadersTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api = api;

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/desk")]
    public async Task AStaffPageAllowsOnlyItsOwnScriptsAndCannotBeFramed(string path)
    {
        var response = await _api.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Directives(response);
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("'self'", policy["style-src"]);
        Assert.Equal("'none'", policy["default-src"]);
        Assert.Equal("'none'", policy["object-src"]);
        Assert.Equal("'none'", policy["base-uri"]);
        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task TheChatWidgetMayBeFramedByTheSitesConfigured()
    {
        await using var configured = new ApiFactory
        {
            Settings = { ["Routing:Chat:FrameAncestors"] = "https://shop.example https://*.shop.example" },
        };

        var byDefault = await _api.CreateClient().GetAsync("/chat");
        var limited = await configured.CreateClient().GetAsync("/chat");

        Assert.Equal("*", Directives(byDefault)["frame-ancestors"]);
        Assert.Equal("https://shop.example https://*.shop.example", Directives(limited)["frame-ancestors"]);
        Assert.Equal("'self'", Directives(limited)["script-src"]);
        Assert.False(limited.Headers.Contains("X-Frame-Options"));
    }

    [Theory]
    [InlineData("/dashboard.html")]
    [InlineData("/desk.html")]
    [InlineData("/chat.html")]
    public async Task ThePagesHtmlIsNotServedAsAStaticFileWithoutItsHeaders(string path)
    {
        var response = await _api.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/assets/app.css")]
    [InlineData("/embed.js")]
    [InlineData("/api/queues")]
    public async Task EveryResponseForbidsContentTypeGuessing(string path)
    {
        var response = await _api.CreateClient().GetAsync(path);

        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        (Header(response, "Content-Security-Policy") ?? throw new Xunit.Sdk.XunitException("no Content-Security-Policy"))
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");
}
