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
    ILogger<SupervisorFeed> logger
)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _followed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscribing = new(1, 1);

    public static string Group(string workspace) => "supervisors:" + workspace;

    public Task FollowAsync(string workspace) => _followed.GetOrAdd(workspace, w => new Lazy<Task>(() => SubscribeAsync(w))).Value;

    /// <summary>
    /// Subscribes afresh to every workspace followed here. After a silo's death: the streams' subscriptions are
    /// kept in memory, and the silo that kept them may have been the one that died. A subscription that survived is
    /// resumed rather than replaced, so nothing published meanwhile is missed; a failure is tried again a few times.
    /// </summary>
    public async Task ResubscribeAsync()
    {
        foreach (var workspace in _followed.Keys)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await SubscribeAsync(workspace);
                    break;
                }
                catch (Exception e) when (attempt < 5)
                {
                    LogResubscribeFailed(logger, e, workspace);
                    await Task.Delay(TimeSpan.FromSeconds(attempt));
                }
                catch (Exception e)
                {
                    LogResubscribeFailed(logger, e, workspace);
                    break;
                }
            }
        }
    }

    private async Task SubscribeAsync(string workspace)
    {
        var provider = cluster.GetStreamProvider(RealtimeStreams.Provider);
        var group = supervisors.Clients.Group(Group(workspace));
        await _subscribing.WaitAsync(); // a first follow and a resubscription must not both subscribe
        try
        {
            await SubscribeAsync(
                provider.GetStream<QueueStats>(StreamId.Create(RealtimeStreams.QueueStatsNamespace, workspace)),
                stats => group.QueueStatsUpdated(stats)
            );
            await SubscribeAsync(
                provider.GetStream<AgentStatusChanged>(StreamId.Create(RealtimeStreams.PresenceNamespace, workspace)),
                change => group.AgentStatusChanged(change)
            );
            await SubscribeAsync(
                provider.GetStream<AgentLoads>(StreamId.Create(RealtimeStreams.LoadNamespace, workspace)),
                loads => group.AgentLoadsChanged(loads.Changes)
            );
        }
        finally
        {
            _subscribing.Release();
        }
    }

    /// <summary>This silo's one subscription to the stream: the one there is, resumed, or a new one.</summary>
    private static async Task SubscribeAsync<T>(IAsyncStream<T> stream, Func<T, Task> deliver)
    {
        var handles = await stream.GetAllSubscriptionHandles();
        if (handles.Count == 0)
        {
            await stream.SubscribeAsync((item, _) => deliver(item));
            return;
        }
        await handles[0].ResumeAsync((item, _) => deliver(item));
        foreach (var extra in handles.Skip(1))
        {
            await extra.UnsubscribeAsync();
        }
    }

    [LoggerMessage(3002, LogLevel.Warning, "Subscribing afresh to the supervisor streams of workspace {Workspace} failed")]
    private static partial void LogResubscribeFailed(ILogger logger, Exception exception, string workspace);
}
