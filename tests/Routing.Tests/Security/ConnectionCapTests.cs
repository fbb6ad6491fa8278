using Microsoft.AspNetCore.SignalR.Client;
using Routing.Client;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>One agent holds a bounded number of realtime connections; a connection over the cap is refused and one freed makes
/// room.</summary>
public sealed class ConnectionCapTests
{
    [Fact]
    public async Task AnAgentsConnectionOverTheCapIsRefusedUntilOneCloses()
    {
        await using var capped = new ApiFactory { Settings = { ["Routing:Realtime:MaxConnectionsPerAgent"] = "2" } };
        var http = capped.CreateClient();
        await http.Put("/api/queues/cap", new { name = "Cap" });
        await http.Put("/api/agents/gus", new { name = "Gus", queues = new[] { new { queueId = "cap" } } });
        var realtime = capped.Realtime();
        await using var first = new AgentConnection(realtime, "gus");
        await using var second = new AgentConnection(realtime, "gus");
        await using var third = new AgentConnection(realtime, "gus");
        await using var fourth = new AgentConnection(realtime, "gus");
        await first.StartAsync();
        await second.StartAsync();

        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        third.Hub.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        await Assert.ThrowsAnyAsync<Exception>(() => third.StartAsync());
        var reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var firstId = first.Hub.ConnectionId!;
        await first.StopAsync();
        // The hub tells the agent of the disconnect after the client has gone; tell it now, as the hub will (it is idempotent).
        await capped.Grains.GetGrain<IAgentGrain>(GrainKeys.For(GrainKeys.DefaultWorkspace, "gus")).DisconnectAsync(firstId);
        await fourth.StartAsync();

        Assert.Contains("too-many-connections", reason?.Message, StringComparison.Ordinal); // the reason reaches the client
        Assert.Equal(
            (HubConnectionState.Disconnected, HubConnectionState.Connected, HubConnectionState.Connected),
            (third.State, second.State, fourth.State)
        );
    }
}
