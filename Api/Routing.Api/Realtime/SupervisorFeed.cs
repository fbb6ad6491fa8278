using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Api.Realtime;

/// <summary>
/// In each silo, follows the statistics and presence streams of every workspace that has a supervisor connected
/// here, and hands each item to that workspace's supervisors in this process. One subscription per workspace
/// per silo, however many supervisors.
/// </summary>
public sealed partial class SupervisorFeed(
    IClusterClient cluster,
    IHubContext<SupervisorHub, ISupervisorClient> supervisors,
    ILogger<SupervisorFeed> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _followed = new(StringComparer.Ordinal);

    public static string Group(string workspace) => "supervisors:" + workspace;

    public Task FollowAsync(string workspace) =>
        _followed.GetOrAdd(workspace, w => new Lazy<Task>(() => SubscribeAsync(w))).Value;

    /// <summary>
    /// Subscribes afresh to every workspace followed here, dropping the old subscriptions first. After a silo's
    /// death: the subscriptions were kept in memory, and the silo that kept them may have been the one that died.
    /// </summary>
    public async Task ResubscribeAsync()
    {
        foreach (var workspace in _followed.Keys)
        {
            try
            {
                await SubscribeAsync(workspace);
            }
            catch (Exception e)
            {
                LogResubscribeFailed(logger, e, workspace);
                _followed.TryRemove(workspace, out _); // the next supervisor to connect here tries again
            }
        }
    }

    private async Task SubscribeAsync(string workspace)
    {
        var provider = cluster.GetStreamProvider(RealtimeStreams.Provider);
        var group = supervisors.Clients.Group(Group(workspace));
        await SubscribeAsync(provider.GetStream<QueueStats>(StreamId.Create(RealtimeStreams.QueueStatsNamespace, workspace)),
            stats => group.QueueStatsUpdated(stats));
        await SubscribeAsync(provider.GetStream<AgentStatusChanged>(StreamId.Create(RealtimeStreams.PresenceNamespace, workspace)),
            change => group.AgentStatusChanged(change));
    }

    private static async Task SubscribeAsync<T>(IAsyncStream<T> stream, Func<T, Task> deliver)
    {
        foreach (var old in await stream.GetAllSubscriptionHandles())
        {
            await old.UnsubscribeAsync();
        }
        await stream.SubscribeAsync((item, _) => deliver(item));
    }

    [LoggerMessage(3002, LogLevel.Warning, "Subscribing afresh to the supervisor streams of workspace {Workspace} failed")]
    private static partial void LogResubscribeFailed(ILogger logger, Exception exception, string workspace);
}
