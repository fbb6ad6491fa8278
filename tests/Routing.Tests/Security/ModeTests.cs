using System.Net;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>Outside Development the server needs authentication configured, and offers no password-less sign-in.</summary>
public sealed class ModeTests
{
    [Fact]
    public async Task OutsideDevelopmentWithoutAuthConfiguredTheServerRefusesToStartAndSaysWhatIsMissing()
    {
        await using var api = new ApiFactory { EnvironmentName = "Production", WithSigningKey = false };

        var refused = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        var message = refused.ToString();
        Assert.Contains("Routing:Auth:SigningKey", message, StringComparison.Ordinal);
        Assert.Contains("Routing:Auth:Authority", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopmentTheDevelopmentSignInDoesNotExist()
    {
        await using var api = new ApiFactory { EnvironmentName = "Production" };
        var anonymous = api.CreateClient().WithToken(null);

        Assert.False((await (await anonymous.GetAsync("/api/auth")).Body()).GetProperty("devSignIn").GetBoolean());
        var devSignIn = await anonymous.Post("/api/auth/dev-token", new { role = "admin" });
        Assert.NotEqual(HttpStatusCode.OK, devSignIn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/queues")).StatusCode);
    }
}
