using Routing.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Realtime;

/// <summary>An agent in two tabs at once, on two silos; a customer who leaves before being connected.</summary>
[Trait("Speed", "Slow")]
[Collection(TwoSiloCollection.Name)]
public sealed class TabsAndLeavingTests(TwoSiloCluster cluster)
{
    private readonly string _queue = "tabs-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _agent = "fay-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task BothTabsHearTheOfferAndClosingOneKeepsTheAgentPresent()
    {
        var rest = cluster.A.CreateClient();
        await rest.Put($"/api/queues/{_queue}", new { name = "Tabs", offerTimeoutSeconds = TwoSiloCluster.PresenceGraceSeconds + 2 });
        await rest.Put(
            $"/api/agents/{_agent}",
            new
            {
                name = "Fay",
                capacity = new { chat = 1 },
                queues = new[] { new { queueId = _queue } },
            }
        );
        await using var first = new AgentConnection(cluster.A.Realtime, _agent);
        await using var second = new AgentConnection(cluster.B.Realtime, _agent);
        var firstHeard = new EventLog<OfferNotice>();
        var secondHeard = new EventLog<OfferNotice>();
        var ended = new EventLog<string>();
        first.OfferReceived += firstHeard.Add;
        second.OfferReceived += secondHeard.Add;
        second.OfferEnded += (id, reason) => ended.Add(reason);
        await first.StartAsync();
        await second.StartAsync();
        await first.SetStatusAsync(AgentStatus.Available);
        var id = (
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

        await firstHeard.WaitAsync(o => o.ConversationId == id);
        await secondHeard.WaitAsync(o => o.ConversationId == id);
        await first.StopAsync();

        // The offer times out after the grace period would have run out: one tab open was enough to stay present.
        Assert.Equal("timed-out", await ended.WaitAsync(_ => true));
        Assert.DoesNotContain(
            cluster.Events.Of("default").OfType<AgentStatusChanged>(),
            e => e.AgentId == _agent && e.Status == AgentStatus.Offline
        );
    }

    [Fact]
    public async Task ACustomerWhoLeavesWhileOfferedAbandonsAndTheAgentsOfferIsWithdrawn()
    {
        var rest = cluster.B.CreateClient();
        await rest.Put($"/api/queues/{_queue}", new { name = "Tabs" });
        await rest.Put($"/api/agents/{_agent}", new { name = "Fay", queues = new[] { new { queueId = _queue } } });
        await using var agent = new AgentConnection(cluster.A.Realtime, _agent);
        var offers = new EventLog<OfferNotice>();
        var ended = new EventLog<(string Id, string Reason)>();
        agent.OfferReceived += offers.Add;
        agent.OfferEnded += (id, reason) => ended.Add((id, reason));
        await agent.StartAsync();
        await agent.SetStatusAsync(AgentStatus.Available);
        var created = await (
            await rest.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = _queue,
                    customer = new { id = "c" },
                }
            )
        ).Body();
        var id = created.GetProperty("id").GetString()!;
        await offers.WaitAsync(o => o.ConversationId == id);
        await using var customer = new CustomerConnection(cluster.B.Realtime, created.GetProperty("customerToken").GetString()!);
        await customer.StartAsync();

        var left = await customer.LeaveAsync();

        Assert.Equal(ConversationState.Abandoned, left.State);
        Assert.Equal("withdrawn", (await ended.WaitAsync(e => e.Id == id)).Reason);
        Assert.Empty(agent.Offers);
        var stats = await (await rest.GetAsync($"/api/queues/{_queue}/stats")).Body();
        Assert.Equal(1, stats.GetProperty("abandoned").GetInt32());
    }
}
