using Microsoft.AspNetCore.SignalR.Client;
using Routing.Client;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Realtime;

/// <summary>Bad hub input gets a hub error with the REST API's stable codes, and changes nothing.</summary>
[Trait("Speed", "Slow")]
[Collection(TwoSiloCollection.Name)]
public sealed class HubErrorTests(TwoSiloCluster cluster)
{
    private readonly string _queue = "err-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task BadAgentHubCallsAreRefusedWithStableCodesAndChangeNothing()
    {
        var rest = cluster.A.CreateClient();
        await rest.Put($"/api/queues/{_queue}", new { name = "Errors" });
        var agentId = "dee-" + Guid.NewGuid().ToString("N")[..8];
        await rest.Put($"/api/agents/{agentId}", new { name = "Dee", queues = new[] { new { queueId = _queue } } });
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
        await using var agent = new AgentConnection(cluster.B.Realtime, agentId);
        await agent.StartAsync();

        var notHeld = await Assert.ThrowsAsync<RealtimeException>(() => agent.AcceptAsync(id));
        Assert.Equal(("offer-not-held", "agentId"), (notHeld.Code, notHeld.Field));
        var unknown = await Assert.ThrowsAsync<RealtimeException>(() => agent.AcceptAsync("no-such-conversation"));
        Assert.Equal("conversation-not-found", unknown.Code);
        var huge = await Assert.ThrowsAsync<RealtimeException>(() => agent.SendMessageAsync(id, new string('x', 4_001)));
        Assert.Equal(("message-too-large", "text"), (huge.Code, huge.Field));
        var badQueue = await Assert.ThrowsAsync<RealtimeException>(() => agent.TransferToQueueAsync(id, "not a queue"));
        Assert.Equal(("invalid-id", "toQueueId"), (badQueue.Code, badQueue.Field));

        Assert.Equal(HubConnectionState.Connected, agent.State);
        var conversation = await (await rest.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal("Queued", conversation.GetProperty("state").GetString());
        Assert.Empty(conversation.GetProperty("transcript").EnumerateArray());
    }

    [Fact]
    public async Task AHubMessageOverTheLimitDropsOnlyThatConnectionWhichReconnectsWithNothingChanged()
    {
        var rest = cluster.A.CreateClient();
        await rest.Put($"/api/queues/{_queue}", new { name = "Errors" });
        var agentId = "fay-" + Guid.NewGuid().ToString("N")[..8];
        await rest.Put($"/api/agents/{agentId}", new { name = "Fay", queues = new[] { new { queueId = _queue } } });
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
        await using var agent = new AgentConnection(cluster.A.Realtime, agentId);
        await using var bystander = new SupervisorConnection(cluster.A.Realtime);
        await agent.StartAsync();
        await bystander.StartAsync();
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resynced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Hub.Reconnecting += _ =>
        {
            dropped.TrySetResult();
            agent.Resynced += () => resynced.TrySetResult();
            return Task.CompletedTask;
        };

        var oversized = agent.SendMessageAsync(
            id,
            new string('x', (int)global::Routing.Api.Realtime.RealtimeExtensions.MaxHubMessageBytes + 1)
        );

        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Assert.ThrowsAnyAsync<Exception>(() => oversized);
        await resynced.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HubConnectionState.Connected, bystander.State);
        Assert.Contains(bystander.Snapshot!.Queues, q => q.QueueId == _queue);
        var conversation = await (await rest.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Empty(conversation.GetProperty("transcript").EnumerateArray());
    }

    [Fact]
    public async Task ACustomerWithAForgedTokenCannotJoinAndAnUnknownAgentCannotConnect()
    {
        await using var forged = new CustomerConnection(cluster.A.Realtime, "e30.c2lnbmF0dXJl");
        await Assert.ThrowsAnyAsync<Exception>(() => forged.StartAsync());
        Assert.NotEqual(HubConnectionState.Connected, forged.State);

        await using var stranger = new AgentConnection(cluster.A.Realtime, "nobody-" + Guid.NewGuid().ToString("N")[..8]);
        await Assert.ThrowsAnyAsync<Exception>(() => stranger.StartAsync());
        Assert.NotEqual(HubConnectionState.Connected, stranger.State);
    }

    [Fact]
    public async Task ASupervisorSeesStatusChangesSetsAnAgentsStatusAndMovesAWaitingConversation()
    {
        var rest = cluster.B.CreateClient();
        await rest.Put($"/api/queues/{_queue}", new { name = "Errors" });
        await rest.Put($"/api/queues/{_queue}-2", new { name = "Other" });
        var agentId = "eve-" + Guid.NewGuid().ToString("N")[..8];
        await rest.Put($"/api/agents/{agentId}", new { name = "Eve", queues = new[] { new { queueId = _queue } } });
        var id = (
            await (
                await rest.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "email",
                        queueId = _queue,
                        customer = new { id = "c" },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;
        await using var supervisor = new SupervisorConnection(cluster.A.Realtime);
        var statuses = new EventLog<AgentStatusChanged>();
        var ticks = new EventLog<QueueStats>();
        supervisor.AgentStatusChanged += statuses.Add;
        supervisor.QueueStatsUpdated += ticks.Add;
        await supervisor.StartAsync();
        Assert.Contains(supervisor.Snapshot!.Queues, q => q.QueueId == _queue && q.Waiting == 1);

        await supervisor.SetAgentStatusAsync(agentId, AgentStatus.Away, "training");
        var away = await statuses.WaitAsync(s => s.AgentId == agentId);
        Assert.Equal((AgentStatus.Away, "training"), (away.Status, away.Reason));

        var moved = await supervisor.MoveConversationAsync(id, $"{_queue}-2");
        Assert.Equal($"{_queue}-2", moved.QueueId);
        await ticks.WaitAsync(s => s.QueueId == $"{_queue}-2" && s.Waiting == 1);
        await ticks.WaitAsync(s => s.QueueId == _queue && s.Waiting == 0);
        var missing = await Assert.ThrowsAsync<RealtimeException>(() => supervisor.MoveConversationAsync(id, "nowhere"));
        Assert.Equal(("queue-not-found", "toQueueId"), (missing.Code, missing.Field));
    }
}
