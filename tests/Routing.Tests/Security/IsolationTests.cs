using System.Net;
using Routing.Client;
using Routing.Tests.Api;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>
/// An agent acts only on the offers and conversations it holds, and only as itself; a customer's token reaches only
/// its own conversation. Each refusal changes nothing.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IsolationTests(ApiFactory api)
{
    [Fact]
    public async Task AnAgentCannotReadOrActOnAConversationItDoesNotHold()
    {
        var (queue, ann, bob) = await SetUpAsync();
        var annHttp = api.CreateClient().WithToken(TestTokens.Agent(ann));
        var bobHttp = api.CreateClient().WithToken(TestTokens.Agent(bob));
        Assert.Equal(HttpStatusCode.OK, (await annHttp.Post($"/api/agents/{ann}/status", new { status = "Available" })).StatusCode);
        var id = (
            await (
                await api.CreateClient()
                    .Post(
                        "/api/conversations",
                        new
                        {
                            channel = "chat",
                            queueId = queue,
                            customer = new { id = "c" },
                        }
                    )
            ).Body()
        ).GetProperty("id").GetString()!;
        var offered = await StateAsync(id);
        Assert.StartsWith("Offered|", offered, StringComparison.Ordinal);

        await AssertRefusedAsync(bobHttp, id, offered, HttpStatusCode.Forbidden, "GET", "");
        foreach (var (action, body) in BobsAttempts(ann, queue))
        {
            await AssertRefusedAsync(bobHttp, id, offered, null, action, body);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await bobHttp.GetAsync($"/api/agents/{ann}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bobHttp.Post($"/api/agents/{ann}/status", new { status = "Offline" })).StatusCode);
        await using (var bobDesk = new AgentConnection(api.Realtime(() => Task.FromResult<string?>(TestTokens.Agent(bob))), bob))
        {
            await bobDesk.StartAsync();
            await Assert.ThrowsAsync<RealtimeException>(() => bobDesk.AcceptAsync(id));
            await Assert.ThrowsAsync<RealtimeException>(() => bobDesk.SendMessageAsync(id, "mine now"));
        }
        await using (var posing = new AgentConnection(api.Realtime(() => Task.FromResult<string?>(TestTokens.Agent(bob))), ann))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => posing.StartAsync()); // an agent connects only as itself
        }
        Assert.Equal(offered, await StateAsync(id));

        Assert.Equal(HttpStatusCode.OK, (await annHttp.Post($"/api/conversations/{id}/accept", new { })).StatusCode);
        var connected = await StateAsync(id);
        foreach (var (action, body) in BobsAttempts(ann, queue))
        {
            await AssertRefusedAsync(bobHttp, id, connected, null, action, body);
        }
        Assert.Equal(connected, await StateAsync(id));
        Assert.Equal(
            HttpStatusCode.OK,
            (await annHttp.Post($"/api/conversations/{id}/complete", new { disposition = "resolved" })).StatusCode
        );
    }

    [Fact]
    public async Task ACustomersTokenReachesOnlyItsOwnConversation()
    {
        var (queue, _, _) = await SetUpAsync();
        var admin = api.CreateClient();
        var mine = await (
            await admin.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = queue,
                    customer = new { id = "a" },
                }
            )
        ).Body();
        var theirs = (
            await (
                await admin.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = queue,
                        customer = new { id = "b" },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;
        var customer = api.CreateClient().WithToken(mine.GetProperty("customerToken").GetString());
        var before = await StateAsync(theirs);

        foreach (
            var (action, body) in new (string, object?)[]
            {
                ("messages", new { from = "customer", text = "let me in" }),
                ("abandon", null),
                ("rating", new { score = 1 }),
                ("customer-token", null),
            }
        )
        {
            var response = await customer.Post($"/api/conversations/{theirs}/{action}", body);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{action}: {response.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"/api/conversations/{theirs}")).StatusCode);
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (
                await customer.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = queue,
                        customer = new { id = "x" },
                    }
                )
            ).StatusCode
        );
        var mineId = mine.GetProperty("id").GetString()!;
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (
                await customer.Post(
                    $"/api/conversations/{mineId}/messages",
                    new
                    {
                        from = "agent",
                        agentId = "x",
                        text = "I am staff",
                    }
                )
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Created,
            (await customer.Post($"/api/conversations/{mineId}/messages", new { from = "customer", text = "hello" })).StatusCode
        );
        Assert.Equal(before, await StateAsync(theirs));
    }

    private static IEnumerable<(string Action, object Body)> BobsAttempts(string ann, string queue) =>
        [
            ("accept", new { }),
            ("accept", new { agentId = ann }),
            ("decline", new { }),
            ("messages", new { from = "agent", text = "hello" }),
            (
                "messages",
                new
                {
                    from = "agent",
                    agentId = ann,
                    text = "hello",
                }
            ),
            ("messages", new { from = "customer", text = "hello" }),
            ("complete", new { disposition = "resolved" }),
            ("complete", new { agentId = ann }),
            ("transfer", new { toQueueId = queue }),
            ("move", new { toQueueId = queue }),
        ];

    private async Task AssertRefusedAsync(HttpClient http, string id, string before, HttpStatusCode? expected, string action, object body)
    {
        var response =
            action == "GET" ? await http.GetAsync($"/api/conversations/{id}") : await http.Post($"/api/conversations/{id}/{action}", body);
        var status = (int)response.StatusCode;
        Assert.True(
            expected is { } e ? response.StatusCode == e : status is 403 or 404 or 409,
            $"{action} {System.Text.Json.JsonSerializer.Serialize(body)}: {status} {await response.Content.ReadAsStringAsync()}"
        );
        Assert.Equal(before, await StateAsync(id));
    }

    /// <summary>The conversation's state, agent, offers and transcript — what an action would change.</summary>
    private async Task<string> StateAsync(string id)
    {
        var c = await (await api.CreateClient().GetAsync($"/api/conversations/{id}")).Body();
        return string.Join(
            '|',
            c.GetProperty("state").ToString(),
            c.GetProperty("agentId").ToString(),
            c.GetProperty("queueId").ToString(),
            c.GetProperty("offers").ToString(),
            c.GetProperty("transcript").ToString(),
            c.GetProperty("timeline").GetArrayLength()
        );
    }

    private async Task<(string Queue, string Ann, string Bob)> SetUpAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (queue, ann, bob) = ($"iso-{suffix}", $"ann-{suffix}", $"bob-{suffix}");
        var admin = api.CreateClient();
        await admin.Put(
            $"/api/queues/{queue}",
            new
            {
                name = "Isolation",
                wrapUpSeconds = new { chat = 0 },
                offerTimeoutSeconds = 300,
            }
        );
        await admin.Put($"/api/agents/{ann}", new { name = "Ann", queues = new[] { new { queueId = queue } } });
        await admin.Put($"/api/agents/{bob}", new { name = "Bob", queues = new[] { new { queueId = queue } } });
        return (queue, ann, bob);
    }
}
