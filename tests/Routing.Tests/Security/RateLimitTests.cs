using System.Net;
using Routing.Client;
using Routing.Contracts.Access;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>
/// A flood from one client is answered 429 with Retry-After — not the limiter's default 503 — while another
/// workspace's callers are served as usual.
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task AFloodFromOneClientGets429WithRetryAfterWhileAnotherWorkspaceIsServed()
    {
        await using var api = new ApiFactory
        {
            Settings = { ["Routing:RateLimits:ClientPerSecond"] = "5", ["Routing:RateLimits:ClientBurst"] = "10" },
        };
        var flooder = api.CreateClient();
        var other = api.CreateClient().WithToken(TestTokens.Staff(StaffRoles.Admin, workspace: "other"));

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 60; i++)
        {
            answers.Add(await flooder.GetAsync("/api/queues"));
        }
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.DoesNotContain(answers, a => a.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.TooManyRequests));
        Assert.True(refused[0].Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
        Assert.Equal("rate-limited", (await refused[0].Body()).GetProperty("code").GetString());

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/queues")).StatusCode);
        }
    }

    [Fact]
    public async Task HubCallsAreLimitedLikeRequestsAndCustomersDoNotDrawOnTheirWorkspacesBucket()
    {
        await using var api = new ApiFactory
        {
            Settings =
            {
                ["Routing:RateLimits:CustomerPerSecond"] = "2",
                ["Routing:RateLimits:WorkspacePerSecond"] = "5",
                ["Routing:RateLimits:WorkspaceBurst"] = "10",
            },
        };
        var admin = api.CreateClient();
        await admin.Put("/api/queues/care", new { name = "Care" });
        var created = await (
            await admin.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "care",
                    customer = new { id = "c" },
                }
            )
        ).Body();
        await using var customer = new CustomerConnection(api.Realtime(), created.GetProperty("customerToken").GetString()!);
        await customer.StartAsync();

        var refusals = new List<RealtimeException>();
        for (var i = 0; i < 30; i++)
        {
            try
            {
                await customer.SendMessageAsync("message " + i);
            }
            catch (RealtimeException e)
            {
                refusals.Add(e);
            }
        }
        Assert.NotEmpty(refusals);
        Assert.All(refusals, e => Assert.Equal("rate-limited", e.Code));
        // 30 customer calls took nothing of the workspace's 10
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/queues")).StatusCode);
    }

    [Fact]
    public async Task AWorkspaceOverItsLimitIsRefusedWhileAnotherWorkspaceIsServed()
    {
        await using var api = new ApiFactory
        {
            Settings = { ["Routing:RateLimits:WorkspacePerSecond"] = "5", ["Routing:RateLimits:WorkspaceBurst"] = "10" },
        };
        var clients = Enumerable.Range(0, 6).Select(i => api.CreateClient().WithToken(TestTokens.Agent("agent" + i))).ToList();
        var other = api.CreateClient().WithToken(TestTokens.Staff(StaffRoles.Supervisor, workspace: "other"));

        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < 10; round++)
        {
            foreach (var client in clients)
            {
                statuses.Add((await client.GetAsync("/api/queues")).StatusCode);
            }
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/queues")).StatusCode);
        }
    }

    [Fact]
    public async Task SignInsAndChatStartsFromOneAddressAreLimitedWhateverCredentialTheyCarry()
    {
        await using var api = new ApiFactory
        {
            Settings = { ["Routing:RateLimits:AnonymousWritesPerSecond"] = "1", ["Routing:RateLimits:AnonymousWritesBurst"] = "3" },
        };
        // A customer token is free from the widget; an admin's is what a stolen one would be. Neither lifts the limit.
        foreach (var token in new[] { TestTokens.Customer("any-conversation"), TestTokens.Admin, null })
        {
            var http = api.CreateClient().WithToken(token);
            var signIns = new List<HttpStatusCode>();
            var chats = new List<HttpStatusCode>();
            for (var i = 0; i < 12; i++)
            {
                signIns.Add((await http.Post("/api/auth/token", new { userName = "victim", password = "guess " + i })).StatusCode);
            }
            for (var i = 0; i < 12; i++)
            {
                chats.Add((await http.Post("/api/chat/conversations", new { topicId = "none", name = "Spam" })).StatusCode);
            }
            Assert.Contains(HttpStatusCode.TooManyRequests, signIns);
            Assert.Contains(HttpStatusCode.TooManyRequests, chats);
        }
    }

    [Theory]
    [InlineData("/hubs/supervisor/NEGOTIATE")]
    [InlineData("/hubs/supervisor/negotiate/")]
    [InlineData("/hubs/Supervisor/Negotiate/")]
    public async Task ANegotiationIsCountedHoweverItsPathIsSpelled(string path)
    {
        await using var api = new ApiFactory
        {
            Settings = { ["Routing:RateLimits:ClientPerSecond"] = "1", ["Routing:RateLimits:ClientBurst"] = "3" },
        };
        var supervisor = api.CreateClient().WithToken(TestTokens.Staff(StaffRoles.Supervisor));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            // An "id" in the query is what a connection's transport requests carry, which are not counted.
            statuses.Add((await supervisor.PostAsync($"{path}?negotiateVersion=1&id=x", null)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]); // routing took the path for the hub's negotiation
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}
