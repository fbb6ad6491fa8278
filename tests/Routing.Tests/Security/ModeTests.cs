using System.Net;
using Routing.Contracts.Access;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>
/// The server refuses to start misconfigured, saying which setting is wrong; outside Development it needs
/// authentication configured, offers no password-less sign-in, and shows the Orleans dashboard to admins only.
/// </summary>
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

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task ASigningKeyShorterThanTheMinimumStopsTheServerAtStartNamingTheSetting(string environment)
    {
        await using var api = new ApiFactory
        {
            EnvironmentName = environment,
            Settings = { ["Routing:Auth:SigningKey"] = Convert.ToBase64String(new byte[16]) },
        };

        var refused = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains("Routing:Auth:SigningKey", refused.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Routing:Realtime:ConnectionExpirySeconds", "5", "Routing:Realtime:ConnectionExpirySeconds")]
    [InlineData("Routing:Realtime:MaxConnectionsPerAgent", "0", "Routing:Realtime:MaxConnectionsPerAgent")]
    [InlineData("Routing:MissedOffersBeforeAway", "0", "Routing:MissedOffersBeforeAway")]
    [InlineData("Routing:Channels:chat", "-1", "Routing:Channels:chat")]
    [InlineData("Routing:Ledger:MaxBatchSize", "0", "Routing:Ledger:MaxBatchSize")]
    [InlineData("Routing:Admission:MaxCreatesInFlight", "0", "Routing:Admission:MaxCreatesInFlight")]
    public async Task ASettingOutOfRangeStopsTheServerAtStartNamingIt(string key, string value, string named)
    {
        await using var api = new ApiFactory { Settings = { [key] = value } };

        var refused = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains(named, refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASigningKeyThatIsNotBase64StopsTheServerAtStartNamingTheSetting()
    {
        await using var api = new ApiFactory { Settings = { ["Routing:Auth:SigningKey"] = "not a base64 key, however long it may be" } };

        var refused = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains("Routing:Auth:SigningKey", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopmentTheDevelopmentSignInCannotBeTurnedOn()
    {
        await using var api = new ApiFactory { EnvironmentName = "Production", Settings = { ["Routing:Auth:DevSignIn"] = "true" } };

        var refused = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains("Routing:Auth:DevSignIn", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InDevelopmentTheDevelopmentSignInCanBeTurnedOff()
    {
        await using var api = new ApiFactory { Settings = { ["Routing:Auth:DevSignIn"] = "false" } };
        var anonymous = api.CreateClient().WithToken(null);

        Assert.False((await (await anonymous.GetAsync("/api/auth")).Body()).GetProperty("devSignIn").GetBoolean());
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.Post("/api/auth/dev-token", new { role = "admin" })).StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopmentTheOrleansDashboardIsServedToAdminsOnly()
    {
        await using var api = new ApiFactory { EnvironmentName = "Production", Settings = { ["Routing:OrleansDashboard"] = "true" } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().WithToken(null).GetAsync("/orleans/")).StatusCode);
        foreach (var role in new[] { StaffRoles.Supervisor, StaffRoles.Agent, StaffRoles.Integration })
        {
            var token = TestTokens.Staff(role, role == StaffRoles.Agent ? "ann" : null);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.CreateClient().WithToken(token).GetAsync("/orleans/")).StatusCode);
        }
        var admin = await api.CreateClient().GetAsync("/orleans/");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Orleans Dashboard", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().WithToken(null).GetAsync("/orleans/version")).StatusCode);
    }
}
