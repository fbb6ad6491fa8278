using Routing.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Realtime;

/// <summary>Presence: a dropped agent keeps its status through the grace period, and loses it after.</summary>
[Trait("Speed", "Slow")]
[Collection(TwoSiloCollection.Name)]
public sealed class PresenceTests(TwoSiloCluster cluster)
{
    private readonly string _queue = "care-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _agent = "bo-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<string> CreateAsync(HttpClient rest) => (
            await (
                await rest.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = _queue,
                        customer = new { id = "c" },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;

    [Fact]
    public async Task AReconnectWithinGraceKeepsTheAgentAvailableAndDeliversThePendingOfferAgain()
    {
        var rest = cluster.B.CreateClient();
        // The offer outlives the grace period, so waiting for it to time out proves the grace did not fire.
        var offerTimeout = TwoSiloCluster.PresenceGraceSeconds + 2;
        await rest.Put($"/api/queues/{_queue}", new { name = "Care", offerTimeoutSeconds = offerTimeout });
        await rest.Put(
            $"/api/agents/{_agent}",
            new
            {
                name = "Bo",
                capacity = new { chat = 1 },
                queues = new[] { new { queueId = _queue } },
            }
        );
        await using var agent = new AgentConnection(cluster.A.Realtime, _agent);
        var offers = new EventLog<OfferNotice>();
        var ended = new EventLog<(string Id, string Reason)>();
        agent.OfferReceived += offers.Add;
        agent.OfferEnded += (id, reason) => ended.Add((id, reason));
        await agent.StartAsync();
        await agent.SetStatusAsync(AgentStatus.Available);
        var id = await CreateAsync(rest);
        await offers.WaitAsync(o => o.ConversationId == id);

        await agent.ReconnectAsync();

        Assert.Equal(AgentStatus.Available, agent.Status);
        Assert.Equal(id, Assert.Single(agent.Offers).ConversationId);
        Assert.Equal("timed-out", (await ended.WaitAsync(e => e.Id == id)).Reason);
        Assert.DoesNotContain(
            cluster.Events.Of("default").OfType<AgentStatusChanged>(),
            e => e.AgentId == _agent && e.Status == AgentStatus.Offline
        );
        Assert.Equal("Available", (await (await rest.GetAsync($"/api/agents/{_agent}")).Body()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ADropPastGraceSetsTheAgentOfflineAndReturnsItsOfferToLine()
    {
        var rest = cluster.B.CreateClient();
        await rest.Put($"/api/queues/{_queue}", new { name = "Care", offerTimeoutSeconds = 300 });
        await rest.Put($"/api/agents/{_agent}", new { name = "Bo", queues = new[] { new { queueId = _queue } } });
        await using var supervisor = new SupervisorConnection(cluster.B.Realtime);
        var statuses = new EventLog<AgentStatusChanged>();
        supervisor.AgentStatusChanged += statuses.Add;
        await supervisor.StartAsync();
        var agent = new AgentConnection(cluster.A.Realtime, _agent);
        var offers = new EventLog<OfferNotice>();
        agent.OfferReceived += offers.Add;
        await agent.StartAsync();
        await agent.SetStatusAsync(AgentStatus.Available);
        var id = await CreateAsync(rest);
        await offers.WaitAsync(o => o.ConversationId == id);
        var dropped = DateTimeOffset.UtcNow;

        await agent.DisposeAsync(); // gone, and not coming back

        var offline = await statuses.WaitAsync(s => s.AgentId == _agent && s.Status == AgentStatus.Offline);
        Assert.Equal("disconnected", offline.Reason);
        Assert.True(offline.At - dropped >= TimeSpan.FromSeconds(TwoSiloCluster.PresenceGraceSeconds - 0.5));
        var back = await cluster.Events.WaitAsync<ConversationStateChanged>(
            "default",
            e => e.ConversationId == id && e.State == ConversationState.Queued && e.Reason == "offer-withdrawn"
        );
        Assert.True(back.At >= offline.At);
        var conversation = await (await rest.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal("Queued", conversation.GetProperty("state").GetString());
        Assert.Equal(0, conversation.GetProperty("position").GetInt32());
    }
}
