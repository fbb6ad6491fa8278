using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Routing.Client;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>One agent holds a bounded number of realtime connections; a connection over the cap is refused and one freed makes room.</summary>
public sealed class ConnectionCapTests : IAsyncLifetime
{
    private readonly ApiFactory _api = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task AnAgentsConnectionOverTheCapIsRefusedUntilOneCloses()
    {
        await using var capped = _api.WithWebHostBuilder(b => b.UseSetting("Routing:MaxConnectionsPerAgent", "2"));
        var http = capped.CreateClient();
        await http.Put("/api/queues/cap", new { name = "Cap" });
        await http.Put("/api/agents/gus", new { name = "Gus", queues = new[] { new { queueId = "cap" } } });
        var realtime = new RealtimeOptions { Server = capped.Server.BaseAddress, HttpMessageHandler = capped.Server.CreateHandler, Transports = HttpTransportType.LongPolling };
        await using var first = new AgentConnection(realtime, "gus");
        await using var second = new AgentConnection(realtime, "gus");
        await using var third = new AgentConnection(realtime, "gus");
        await using var fourth = new AgentConnection(realtime, "gus");
        await first.StartAsync();
        await second.StartAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => third.StartAsync());
        await first.StopAsync();
        await fourth.StartAsync();

        Assert.Equal((HubConnectionState.Disconnected, HubConnectionState.Connected, HubConnectionState.Connected), (third.State, second.State, fourth.State));
    }
}
