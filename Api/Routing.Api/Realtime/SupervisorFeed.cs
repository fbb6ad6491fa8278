using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Orleans.Streams;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Api.Realtime;

/// <summary>
/// In each silo, follows the statistics and presence streams of every workspace that has a supervisor connected
/// here, and hands each item to that workspace's supervisors in this process. One subscription per workspace
/// per silo, however many supervisors.
/// </summary>
public sealed class SupervisorFeed(IClusterClient cluster, IHubContext<SupervisorHub, ISupervisorClient> supervisors)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _followed = new(StringComparer.Ordinal);

    public static string Group(string workspace) => "supervisors:" + workspace;

    public Task FollowAsync(string workspace) =>
        _followed.GetOrAdd(workspace, w => new Lazy<Task>(() => SubscribeAsync(w))).Value;

    private async Task SubscribeAsync(string workspace)
    {
        var provider = cluster.GetStreamProvider(RealtimeStreams.Provider);
        var group = supervisors.Clients.Group(Group(workspace));
        await provider.GetStream<QueueStats>(StreamId.Create(RealtimeStreams.QueueStatsNamespace, workspace))
            .SubscribeAsync((stats, _) => group.QueueStatsUpdated(stats));
        await provider.GetStream<AgentStatusChanged>(StreamId.Create(RealtimeStreams.PresenceNamespace, workspace))
            .SubscribeAsync((change, _) => group.AgentStatusChanged(change));
    }
}
