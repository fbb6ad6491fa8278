using System.Net;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>A browser page of another site cannot open our hubs; our own pages, listed sites and non-browser clients can.</summary>
// One server for the class (its tests only read from it): a server per test was most of the fast suite's time.
public sealed class HubOriginTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api = api;

    [Theory]
    [InlineData("/hubs/agent")]
    [InlineData("/hubs/customer")]
    [InlineData("/hubs/supervisor")]
    public async Task AHubRequestFromAnotherSitesPageIsRefused(string hub)
    {
        var response = await Negotiate(_api, hub, "https://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(("origin-not-allowed", "Origin"), await CodeAndField(response));
    }

    [Theory]
    [InlineData(null)] // not a browser
    [InlineData("http://localhost")] // our own pages
    [InlineData("https://localhost:8443")] // our own pages, through a load balancer that ends TLS
    [InlineData("https://shop.example")] // listed in Routing:AllowedOrigins
    public async Task OurOwnPagesListedSitesAndNonBrowserClientsMayConnect(string? origin)
    {
        await using var api = new ApiFactory { Settings = { ["Routing:AllowedOrigins:0"] = "https://shop.example/" } };

        var response = await Negotiate(api, "/hubs/supervisor", origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> Negotiate(
        Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> api,
        string hub,
        string? origin
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, hub + "/negotiate?negotiateVersion=1");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return await api.CreateClient().SendAsync(request);
    }

    private static async Task<(string?, string?)> CodeAndField(HttpResponseMessage response)
    {
        var body = await response.Body();
        return (body.GetProperty("code").GetString(), body.GetProperty("field").GetString());
    }
}
