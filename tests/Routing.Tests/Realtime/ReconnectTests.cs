using Routing.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Realtime;

/// <summary>Messages are ordered per conversation and none is lost or duplicated across a reconnect.</summary>
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
        var created = await (await rest.Post("/api/conversations", new { channel = "chat", queueId = queue, customer = new { id = "c" } })).Body();
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
}
