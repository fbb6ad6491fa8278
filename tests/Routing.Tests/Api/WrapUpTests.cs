using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>
/// Wrap-up (docs/conversations.md, "Completion and wrap-up"): a completion holds the agent's slot until the wrap-up's end,
/// which the conversation shows; the agent may finish it early, which frees the slot for the next in line at once; anyone
/// else, or a conversation not in wrap-up, is refused and nothing changes; finishing again answers the same.
/// </summary>
public sealed class WrapUpTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 8, 0, 0, TimeSpan.Zero);
    private readonly ApiFactory _api = new() { Time = new FakeTimeProvider(Start) };
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _http = _api.CreateClient();
        await _http.Put("/api/queues/care", new { name = "Care", wrapUpSeconds = new { chat = 60 } });
        foreach (var agent in new[] { "amy", "bob" })
        {
            await _http.Put(
                $"/api/agents/{agent}",
                new
                {
                    name = agent,
                    capacity = new { chat = 1 },
                    queues = new[] { new { queueId = "care" } },
                }
            );
        }
        await _http.Post("/api/agents/amy/status", new { status = "Available" });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TheAgentFinishesAWrapUpEarlyAndTheNextInLineIsOfferedAtOnce()
    {
        var first = await CreateAsync("c-1");
        await OfferedToAmyAsync(first);
        Assert.True((await _http.Post($"/api/conversations/{first}/accept", new { agentId = "amy" })).IsSuccessStatusCode);

        // Not in wrap-up yet: refused, still connected.
        await AssertNotInWrapUpAsync(first, "amy", "Connected");

        var completed = await (await _http.Post($"/api/conversations/{first}/complete", new { agentId = "amy" })).Body();
        Assert.Equal("WrapUp", completed.GetProperty("state").GetString());
        Assert.Equal(Start.AddSeconds(60), completed.GetProperty("wrapUpEndsAt").GetDateTimeOffset());

        // Amy's only chat slot is held by the wrap-up: the next customer waits.
        var second = await CreateAsync("c-2");
        Assert.Equal("Queued", (await (await _http.GetAsync($"/api/conversations/{second}")).Body()).GetProperty("state").GetString());

        // Only the agent holding it may finish it.
        await AssertNotInWrapUpAsync(first, "bob", "WrapUp");

        var finished = await _http.Post($"/api/conversations/{first}/finish-wrap-up", new { agentId = "amy" });
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        var body = await finished.Body();
        Assert.Equal("Completed", body.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("wrapUpEndsAt").ValueKind);
        await OfferedToAmyAsync(second); // the slot is free before the wrap-up's time was up (the clock never moved)

        var again = await _http.Post($"/api/conversations/{first}/finish-wrap-up", new { agentId = "amy" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Completed", (await again.Body()).GetProperty("state").GetString());
    }

    private async Task AssertNotInWrapUpAsync(string id, string agentId, string stillIn)
    {
        var refused = await _http.Post($"/api/conversations/{id}/finish-wrap-up", new { agentId });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("not-in-wrap-up", (await refused.Body()).GetProperty("code").GetString());
        Assert.Equal(stillIn, (await (await _http.GetAsync($"/api/conversations/{id}")).Body()).GetProperty("state").GetString());
    }

    private async Task OfferedToAmyAsync(string id) =>
        await _api.Events.WaitAsync<ConversationStateChanged>(
            GrainKeys.DefaultWorkspace,
            e => e.ConversationId == id && e.State == ConversationState.Offered && e.AgentId == "amy"
        );

    private async Task<string> CreateAsync(string customerId) => (
            await (
                await _http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = "care",
                        customer = new { id = customerId },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;
}
