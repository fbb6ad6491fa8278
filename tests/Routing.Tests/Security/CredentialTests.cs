using System.Net;
using Microsoft.Extensions.Time.Testing;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>Built-in accounts, their lockout, API keys and customer tokens, each as an operator or integrator meets it.</summary>
public sealed class CredentialTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 11, 0, 0, 0, TimeSpan.Zero));
    private readonly ApiFactory _api;
    private HttpClient _admin = null!;

    public CredentialTests() =>
        _api = new ApiFactory
        {
            Time = _time,
            Settings = { ["Routing:Auth:FirstAdmin:UserName"] = "root", ["Routing:Auth:FirstAdmin:Password"] = "first admin password" },
        };

    public async Task InitializeAsync()
    {
        _admin = _api.CreateClient();
        await _admin.Put("/api/queues/care", new { name = "Care", wrapUpSeconds = new { chat = 0 } });
        await _admin.Put("/api/agents/ann", new { name = "Ann", queues = new[] { new { queueId = "care" } } });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TheFirstAdminSignsInAndSetsUpAnAgentWhoSignsInAsThatAgent()
    {
        var root = await SignInAsync("root", "first admin password");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        var rootHttp = _api.CreateClient().WithToken((await root.Body()).GetProperty("token").GetString());
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await rootHttp.Put(
                    "/api/accounts/ann.li",
                    new
                    {
                        role = "agent",
                        agentId = "ann",
                        password = "ann's password",
                    }
                )
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (
                await rootHttp.Put(
                    "/api/accounts/weak",
                    new
                    {
                        role = "agent",
                        agentId = "ann",
                        password = "short",
                    }
                )
            ).StatusCode
        );

        var signedIn = await (await SignInAsync("ann.li", "ann's password")).Body();
        Assert.Equal("agent", signedIn.GetProperty("role").GetString());
        var ann = _api.CreateClient().WithToken(signedIn.GetProperty("token").GetString());
        var me = await (await ann.GetAsync("/api/auth/me")).Body();
        Assert.Equal(
            ("default", "agent", "ann"),
            (me.GetProperty("workspace").GetString(), me.GetProperty("role").GetString(), me.GetProperty("agentId").GetString())
        );
        Assert.Equal(HttpStatusCode.OK, (await ann.Post("/api/agents/ann/status", new { status = "Available" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.Put("/api/queues/care", new { name = "Mine" })).StatusCode);

        var listed = await rootHttp.GetStringAsync("/api/accounts");
        Assert.Contains("ann.li", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("password", listed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hash", listed, StringComparison.OrdinalIgnoreCase);

        // Setting the account again (here a new password) ends the tokens issued before, at once; removing it ends all.
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await rootHttp.Put(
                    "/api/accounts/ann.li",
                    new
                    {
                        role = "agent",
                        agentId = "ann",
                        password = "a new password",
                    }
                )
            ).StatusCode
        );
        Assert.Equal(HttpStatusCode.Unauthorized, (await ann.GetAsync("/api/auth/me")).StatusCode);
        var again = _api.CreateClient()
            .WithToken((await (await SignInAsync("ann.li", "a new password")).Body()).GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await rootHttp.DeleteAsync("/api/accounts/ann.li")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("ann.li", "a new password")).StatusCode);
    }

    [Fact]
    public async Task ALockedAccountStaysLockedUntilItsTimeIsUpWhateverThePassword()
    {
        await _admin.Put("/api/accounts/sam", new { role = "supervisor", password = "sam's password" });
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("sign-in-failed", await CodeAsync(await SignInAsync("sam", "guess " + i)));
        }
        Assert.Equal("account-locked", await CodeAsync(await SignInAsync("sam", "guess 4")));
        var locked = await SignInAsync("sam", "sam's password");
        Assert.Equal("account-locked", await CodeAsync(locked));

        _time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal("account-locked", await CodeAsync(await SignInAsync("sam", "sam's password")));
        Assert.NotNull((await (await _admin.GetAsync("/api/accounts/sam")).Body()).GetProperty("lockedUntil").GetString());

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("sam", "sam's password")).StatusCode);
    }

    [Fact]
    public async Task ANameWithoutAnAccountLocksTheSameWaySoNoAnswerTellsWhichNamesExist()
    {
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("sign-in-failed", await CodeAsync(await SignInAsync("nobody", "guess " + i)));
        }
        Assert.Equal("account-locked", await CodeAsync(await SignInAsync("nobody", "guess 4")));
    }

    [Fact]
    public async Task AnApiKeyCreatesConversationsAndReadsStatsUntilItIsRevokedThenStopsAtOnce()
    {
        var created = await _admin.Post("/api/keys", new { name = "crm" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = await created.Body();
        var integration = _api.CreateClient().WithToken(null);
        integration.DefaultRequestHeaders.Add("X-Api-Key", key.GetProperty("key").GetString());

        Assert.Equal(
            HttpStatusCode.Created,
            (
                await integration.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "email",
                        queueId = "care",
                        customer = new { id = "k1" },
                    }
                )
            ).StatusCode
        );
        Assert.Equal(HttpStatusCode.OK, (await integration.GetAsync("/api/queues/care/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await integration.Put("/api/queues/care", new { name = "Taken over" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await integration.GetAsync("/api/keys")).StatusCode);
        var listed = await _admin.GetStringAsync("/api/keys");
        Assert.Contains(key.GetProperty("keyId").GetString()!, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key.GetProperty("key").GetString()!.Split(':')[^1], listed, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await _admin.DeleteAsync($"/api/keys/{key.GetProperty("keyId").GetString()}")).StatusCode);
        var refused = await integration.GetAsync("/api/queues/care/stats");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (
                await integration.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "email",
                        queueId = "care",
                        customer = new { id = "k2" },
                    }
                )
            ).StatusCode
        );
    }

    [Fact]
    public async Task ACustomerTokenIsRenewedWhileItsConversationLivesAndNotAfter()
    {
        var created = await (
            await _admin.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "care",
                    customer = new { id = "r1" },
                }
            )
        ).Body();
        var id = created.GetProperty("id").GetString()!;
        var customer = _api.CreateClient().WithToken(created.GetProperty("customerToken").GetString());

        var renewed = await customer.Post($"/api/conversations/{id}/customer-token");
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var fresh = _api.CreateClient().WithToken((await renewed.Body()).GetProperty("token").GetString());
        Assert.Equal(
            HttpStatusCode.Created,
            (await fresh.Post($"/api/conversations/{id}/messages", new { from = "customer", text = "still here" })).StatusCode
        );

        Assert.Equal(HttpStatusCode.OK, (await fresh.Post($"/api/conversations/{id}/abandon")).StatusCode);
        Assert.Equal("conversation-ended", await CodeAsync(await fresh.Post($"/api/conversations/{id}/customer-token")));
    }

    [Fact]
    public async Task TheDevelopmentSignInIssuesATokenForAnyAgentOfTheDefaultWorkspace()
    {
        Assert.True((await (await _api.CreateClient().WithToken(null).GetAsync("/api/auth")).Body()).GetProperty("devSignIn").GetBoolean());
        var token = await (
            await _api.CreateClient().WithToken(null).Post("/api/auth/dev-token", new { role = "agent", agentId = "ann" })
        ).Body();
        var me = await (await _api.CreateClient().WithToken(token.GetProperty("token").GetString()).GetAsync("/api/auth/me")).Body();
        Assert.Equal("ann", me.GetProperty("agentId").GetString());
        Assert.Equal("default", me.GetProperty("workspace").GetString());
    }

    private Task<HttpResponseMessage> SignInAsync(string userName, string password) =>
        _api.CreateClient().WithToken(null).Post("/api/auth/token", new { userName, password });

    private static async Task<string?> CodeAsync(HttpResponseMessage response) => (await response.Body()).GetProperty("code").GetString();
}
