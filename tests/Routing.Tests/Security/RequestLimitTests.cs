using System.Net;
using System.Text;
using Routing.Tests.Browser;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>
/// Body limits are Kestrel's, which the in-memory test server does not enforce: these run against the real
/// server process the browser tests use.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class RequestLimitTests(BrowserFixture browser)
{
    [Fact]
    public async Task ABodyOverTheLimitIsAnswered413AndCreatesNothing()
    {
        var queue = "limits-" + Guid.NewGuid().ToString("N")[..8];
        await browser.Http.Put($"/api/queues/{queue}", new { name = "Limits" });
        var padding = new string('x', (int)global::Routing.Silo.RoutingSiloExtensions.MaxRequestBodyBytes);
        var body = $$$"""{"channel":"chat","queueId":"{{{queue}}}","customer":{"id":"big","name":"{{{padding}}}"}}""";

        var response = await browser.Http.PostAsync("/api/conversations", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request-too-large", (await response.Body()).GetProperty("code").GetString());
        var waiting = await (await browser.Http.GetAsync($"/api/queues/{queue}/stats")).Body();
        Assert.Equal(0, waiting.GetProperty("waiting").GetInt32());
    }
}
