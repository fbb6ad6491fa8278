using System.Text.Json;
using Orleans.Core.Internal;
using Routing.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Realtime;

/// <summary>
/// Messages are ordered per conversation and none is lost or duplicated across a reconnect; a grain activated afresh
/// (as after its silo died) finds its connections again and tells them what they missed.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(TwoSiloCollection.Name)]
public sealed class ReconnectTests(TwoSiloCluster cluster)
{
    [Fact]
    public async Task NoMessageIsLostDuplicatedOrReorderedWhenAnAgentReconnectsInTheMiddleOfABurstOf200()
    {
        var queue = "burst-" + Guid.NewGuid().ToString("N")[..8];
        var agentId = "cy-" + Guid.NewGuid().ToString("N")[..8];
        var rest = cluster.A.CreateClient();
        await rest.Put($"/api/queues/{queue}", new { name = "Burst" });
        await rest.Put($"/api/agents/{agentId}", new { name = "Cy", queues = new[] { new { queueId = queue } } });
        await using var agent = new AgentConnection(cluster.B.Realtime, agentId);
        var offers = new EventLog<OfferNotice>();
        var heard = new EventLog<TranscriptMessage>();
        agent.OfferReceived += offers.Add;
        agent.MessageReceived += (_, m) => heard.Add(m);
        await agent.StartAsync();
        await agent.SetStatusAsync(AgentStatus.Available);
        var created = await CreateChatAsync(rest, queue);
        var id = created.GetProperty("id").GetString()!;
        await offers.WaitAsync(o => o.ConversationId == id);
        await agent.AcceptAsync(id);
        await using var customer = new CustomerConnection(cluster.A.Realtime, created.GetProperty("customerToken").GetString()!);
        await customer.StartAsync();

        var burst = Task.Run(async () =>
        {
            for (var i = 1; i <= 200; i++)
            {
                await customer.SendMessageAsync($"message {i}");
            }
        });
        await heard.WaitAsync(m => m.Text == "message 100");
        await agent.ReconnectAsync(); // the connection drops mid-burst and comes back
        await burst;

        await heard.WaitAsync(m => m.Text == "message 200");
        var received = heard.Items;
        Assert.Equal(Enumerable.Range(1, 200).Select(i => $"message {i}"), received.Select(m => m.Text));
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), received.Select(m => m.Sequence));
        Assert.Equal(received, agent.Transcript(id));
    }

    [Fact]
    public async Task AnOfferMadeWhileADeskWasDisconnectedIsAnnouncedFromTheSnapshotAfterItsReconnect()
    {
        var queue = "away-" + Guid.NewGuid().ToString("N")[..8];
        var agentId = "ed-" + Guid.NewGuid().ToString("N")[..8];
        var rest = cluster.A.CreateClient();
        await rest.Put($"/api/queues/{queue}", new { name = "Away", offerTimeoutSeconds = 300 });
        await rest.Put($"/api/agents/{agentId}", new { name = "Ed", queues = new[] { new { queueId = queue } } });
        // Two desks of the agent: one stays connected (and hears the offer), the other is down when it is made.
        await using var staying = new AgentConnection(cluster.A.Realtime, agentId);
        await using var dropped = new AgentConnection(cluster.B.Realtime, agentId);
        var heardByStaying = new EventLog<OfferNotice>();
        var heardByDropped = new EventLog<OfferNotice>();
        staying.OfferReceived += heardByStaying.Add;
        dropped.OfferReceived += heardByDropped.Add;
        await staying.StartAsync();
        await dropped.StartAsync();
        await staying.SetStatusAsync(AgentStatus.Available);
        await dropped.StopAsync();

        var created = await CreateChatAsync(rest, queue);
        var id = created.GetProperty("id").GetString()!;
        await heardByStaying.WaitAsync(o => o.ConversationId == id);
        Assert.Empty(heardByDropped.Items);

        // Back: the offer is in the snapshot, and the desk is told of it as of any offer (else it would stand unseen
        // for its 300 s); a second resync does not tell it again.
        await dropped.StartAsync();
        await heardByDropped.WaitAsync(o => o.ConversationId == id);
        await dropped.ResyncAsync();
        Assert.Single(heardByDropped.Items);
        await dropped.AcceptAsync(id);
    }

    [Fact]
    public async Task AnAgentActivatedAfreshTellsItsOpenConnectionsTheOfferTheyMissed()
    {
        var queue = "fresh-" + Guid.NewGuid().ToString("N")[..8];
        var agentId = "di-" + Guid.NewGuid().ToString("N")[..8];
        var rest = cluster.A.CreateClient();
        await rest.Put($"/api/queues/{queue}", new { name = "Fresh", offerTimeoutSeconds = 300 });
        await rest.Put($"/api/agents/{agentId}", new { name = "Di", queues = new[] { new { queueId = queue } } });
        await using var agent = new AgentConnection(cluster.B.Realtime, agentId);
        var offers = new EventLog<OfferNotice>();
        agent.OfferReceived += offers.Add;
        await agent.StartAsync();
        await agent.SetStatusAsync(AgentStatus.Available);

        // The agent's grain goes away while its connection stays open (as when the silo hosting it dies), and
        // its next activation — which knows no connection yet — makes an offer.
        var grain = cluster.A.Grains.GetGrain<IAgentGrain>(GrainKeys.For("default", agentId));
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var created = await CreateChatAsync(rest, queue);
        var id = created.GetProperty("id").GetString()!;

        // The relay's next renewal introduces the connection, and the grain tells it the pending offer (the offer
        // would otherwise stand unseen for its 300 s).
        await offers.WaitAsync(o => o.ConversationId == id);
        await agent.AcceptAsync(id);
        Assert.Equal(ConversationState.Connected, (await grain.GetAsync())!.Assignments.Single().State);
    }

    /// <summary>A chat from customer <c>c</c> in <paramref name="queue"/>; answers the created conversation.</summary>
    private static async Task<JsonElement> CreateChatAsync(HttpClient rest, string queue) =>
        await (
            await rest.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = queue,
                    customer = new { id = "c" },
                }
            )
        ).Body();
}
