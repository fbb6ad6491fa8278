using System.Net;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>The whole lifecycle over REST alone, as a channel integration would drive it (docs/api.md).</summary>
[Collection(ApiCollection.Name)]
public sealed class RestLifecycleTests(ApiFactory api)
{
    [Fact]
    public async Task AConversationGoesFromCreationToRatingOverRest()
    {
        var http = api.CreateClient();
        var queue = $"care-{Guid.NewGuid():N}"[..20];
        var agent = $"ann-{Guid.NewGuid():N}"[..20];
        Assert.Equal(
            HttpStatusCode.Created,
            (await http.Put($"/api/queues/{queue}", new { name = "Care", wrapUpSeconds = new { chat = 0 } })).StatusCode
        );
        Assert.Equal(HttpStatusCode.OK, (await http.Put($"/api/queues/{queue}", new { name = "Customer care" })).StatusCode);
        var defined = await http.Put(
            $"/api/agents/{agent}",
            new
            {
                name = "Ann",
                skills = new { billing = 4 },
                capacity = new { chat = 2 },
                queues = new[] { new { queueId = queue, rank = 1 } },
            }
        );
        Assert.Equal(HttpStatusCode.Created, defined.StatusCode);
        var definedBody = await defined.Body();
        Assert.Equal("Offline", definedBody.GetProperty("status").GetString());
        Assert.Equal(5, definedBody.GetProperty("capacity").GetProperty("email").GetInt32()); // defaults kept for channels not given
        Assert.Equal(HttpStatusCode.OK, (await http.Post($"/api/agents/{agent}/status", new { status = "Available" })).StatusCode);

        var created = await http.Post(
            "/api/conversations",
            new
            {
                channel = "chat",
                queueId = queue,
                customer = new
                {
                    id = "c-1",
                    name = "Li Wei",
                    tier = "gold",
                },
                skills = new[] { new { requirements = new { billing = 3 }, seconds = (int?)null } },
                attributes = new { orderId = "A-1001" },
                message = "Where is my order?",
            }
        );
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Body();
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal(created.Headers.Location!.ToString(), $"/api/conversations/{id}");
        Assert.Equal(30, body.GetProperty("priority").GetInt32());

        var offered = await (await http.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal("Offered", offered.GetProperty("state").GetString());
        Assert.Equal(agent, offered.GetProperty("agentId").GetString());
        var agentView = await (await http.GetAsync($"/api/agents/{agent}")).Body();
        Assert.Equal(id, agentView.GetProperty("offers")[0].GetProperty("conversationId").GetString());

        Assert.Equal(HttpStatusCode.OK, (await http.Post($"/api/conversations/{id}/accept", new { agentId = agent })).StatusCode);
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await http.Post(
                    $"/api/conversations/{id}/messages",
                    new
                    {
                        from = "agent",
                        agentId = agent,
                        text = "It ships today.",
                    }
                )
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Created,
            (await http.Post($"/api/conversations/{id}/messages", new { from = "customer", text = "Thanks!" })).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await http.Post($"/api/conversations/{id}/complete", new { agentId = agent, disposition = "answered" })).StatusCode
        );
        var rated = await http.Post($"/api/conversations/{id}/rating", new { score = 5 });
        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);

        var final = await (await http.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal("Completed", final.GetProperty("state").GetString());
        Assert.Equal(5, final.GetProperty("rating").GetInt32());
        Assert.Equal("answered", final.GetProperty("disposition").GetString());
        Assert.Equal(
            ["Created", "Queued", "Offered", "Connected", "WrapUp", "Completed"],
            final.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("state").GetString())
        );
        Assert.Equal(
            ["Where is my order?", "It ships today.", "Thanks!"],
            final.GetProperty("transcript").EnumerateArray().Select(m => m.GetProperty("text").GetString())
        );
        var stats = await (await http.GetAsync($"/api/queues/{queue}/stats")).Body();
        Assert.Equal(1, stats.GetProperty("connected").GetInt32());
        Assert.Equal(1, stats.GetProperty("completed").GetInt32());
        Assert.Contains(
            (await (await http.GetAsync("/api/queues")).Body()).EnumerateArray(),
            q => q.GetProperty("id").GetString() == queue
        );
        Assert.Contains(
            (await (await http.GetAsync("/api/agents")).Body()).EnumerateArray(),
            a => a.GetProperty("id").GetString() == agent
        );
    }

    [Fact]
    public async Task TheOpenApiDocumentAndItsInteractivePageAreServed()
    {
        var http = api.CreateClient();
        var document = await (await http.GetAsync("/openapi/v1.json")).Body();
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/conversations", out _));
        var page = await http.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task AGrainCallerSeesTheSameConversationTheApiCreated()
    {
        var http = api.CreateClient();
        var queue = $"q-{Guid.NewGuid():N}"[..20];
        await http.Put($"/api/queues/{queue}", new { name = "Q" });
        var id = (
            await (
                await http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "email",
                        queueId = queue,
                        customer = new { id = "x" },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;

        var view = await api.Grains.GetGrain<IConversationGrain>(GrainKeys.For(GrainKeys.DefaultWorkspace, id)).GetAsync();

        Assert.Equal(ConversationState.Queued, view.State);
        Assert.Equal("standard", view.Customer.Tier);
    }
}
