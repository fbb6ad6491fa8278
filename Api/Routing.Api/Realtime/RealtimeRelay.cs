using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Api.Realtime;

/// <summary>
/// This silo's end of realtime delivery (docs/realtime.md, "How a push crosses silos"): a grain observer that grains call for what must
/// arrive,
/// which it hands to the SignalR connections of this process — so any grain reaches a browser connected to
/// any silo, with no backplane. It also renews this silo's connections with their grains periodically, so a
/// grain can tell a silo that died from one that is merely quiet — and at once when another silo of the cluster
/// is declared dead, so that the grains it hosted, activated afresh elsewhere, learn their connections (and tell
/// them what they missed) within moments instead of at the next renewal.
/// </summary>
public sealed partial class RealtimeRelay(
    IGrainFactory grains,
    IHubContext<AgentHub, IAgentClient> agents,
    IHubContext<CustomerHub, ICustomerClient> customers,
    IHubContext<SupervisorHub, ISupervisorClient> monitors,
    IOptions<ConnectionOptions> options,
    SupervisorFeed supervisors,
    ILogger<RealtimeRelay> logger
) : BackgroundService, IRealtimeRelay, ISiloDeathListener
{
    private readonly ConcurrentDictionary<string, (bool IsAgent, string Key)> _connections = new(StringComparer.Ordinal);

    // The supervisors' connections and the conversations each monitors (docs/supervision.md): renewed like the others.
    private readonly ConcurrentDictionary<(string ConnectionId, string ConversationKey), bool> _monitoring = new();
    private readonly object _gate = new();
    private IRealtimeRelay? _self;

    /// <summary>The grain-callable reference to this relay, made once.</summary>
    public IRealtimeRelay Self
    {
        get
        {
            lock (_gate)
            {
                return _self ??= grains.CreateObjectReference<IRealtimeRelay>(this);
            }
        }
    }

    public static string AgentGroup(string agentKey) => "agent:" + agentKey;

    public static string CustomerGroup(string conversationKey) => "conversation:" + conversationKey;

    public static string MonitorGroup(string conversationKey) => "monitor:" + conversationKey;

    public void Track(string connectionId, bool isAgent, string key) => _connections[connectionId] = (isAgent, key);

    public void TrackMonitor(string connectionId, string conversationKey) => _monitoring[(connectionId, conversationKey)] = true;

    public void UntrackMonitor(string connectionId, string conversationKey) =>
        _monitoring.TryRemove((connectionId, conversationKey), out _);

    public void Untrack(string connectionId) => _connections.TryRemove(connectionId, out _);

    public Task ToAgentAsync(string agentKey, AgentNotification notification)
    {
        var clients = agents.Clients.Group(AgentGroup(agentKey));
        return notification switch
        {
            OfferArrived n => clients.OfferReceived(n.Offer),
            OfferEnded n => clients.OfferEnded(n.ConversationId, n.Reason),
            AssignmentChanged n => clients.AssignmentChanged(n.ConversationId, n.State, n.Reason),
            AgentMessageArrived n => clients.MessageReceived(n.ConversationId, n.Message),
            AgentNoteArrived n => clients.NoteReceived(n.ConversationId, n.Note),
            CustomerTypingNotice n => clients.CustomerTyping(n.ConversationId),
            AgentStatusNotice n => clients.StatusChanged(n.Status, n.Reason),
            _ => Task.CompletedTask,
        };
    }

    public Task ToCustomersAsync(string conversationKey, CustomerNotification notification)
    {
        var clients = customers.Clients.Group(CustomerGroup(conversationKey));
        return notification switch
        {
            PositionNotice n => clients.PositionChanged(n.Position),
            AgentJoinedNotice n => clients.AgentJoined(n.AgentName),
            CustomerMessageArrived n => clients.MessageReceived(n.Message),
            ConversationEndedNotice n => clients.ConversationEnded(n.State),
            SupervisorJoinedNotice n => clients.SupervisorJoined(n.Supervisor),
            AgentTypingNotice => clients.AgentTyping(),
            _ => Task.CompletedTask,
        };
    }

    public Task ToMonitorsAsync(string conversationKey, MonitorNotification notification)
    {
        var clients = monitors.Clients.Group(MonitorGroup(conversationKey));
        return notification switch
        {
            MonitoredMessage n => clients.MonitoredMessage(n.ConversationId, n.Message),
            MonitoredNote n => clients.MonitoredNote(n.ConversationId, n.Note),
            MonitoredChange n => clients.MonitoredChange(n.ConversationId, n.State, n.AgentId),
            _ => Task.CompletedTask,
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ConnectionRenewSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RenewAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // the silo is stopping
        }
        finally
        {
            if (_self is not null)
            {
                grains.DeleteObjectReference<IRealtimeRelay>(_self);
            }
        }
    }

    /// <summary>
    /// Another silo was declared dead: renew every connection now, so the grains it hosted, activated afresh
    /// elsewhere, know their connections before recovery wakes them; and have the supervisor feed subscribe afresh
    /// (the dead silo may have held the streams' subscriptions).
    /// </summary>
    public async Task SiloDiedAsync(CancellationToken cancellationToken)
    {
        await RenewAsync(cancellationToken);
        _ = supervisors.ResubscribeAsync(); // in the background: recovery must not wait for it
    }

    /// <summary>Renews this silo's connections with their grains, a few grains at a time.</summary>
    private async Task RenewAsync(CancellationToken cancellationToken = default)
    {
        var groups = _connections
            .Select(c => (Kind: c.Value.IsAgent ? Kind.Agent : Kind.Customer, c.Value.Key, ConnectionId: c.Key))
            .Concat(_monitoring.Keys.Select(m => (Kind: Kind.Monitor, Key: m.ConversationKey, m.ConnectionId)))
            .GroupBy(c => (c.Kind, c.Key), c => c.ConnectionId)
            .ToList();
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (group, _) =>
            {
                try
                {
                    var ids = group.ToList();
                    await (
                        group.Key.Kind switch
                        {
                            Kind.Agent => grains.Grain<IAgentGrain>(group.Key.Key).RenewAsync(ids, Self),
                            Kind.Customer => grains.Grain<IConversationGrain>(group.Key.Key).RenewCustomersAsync(ids, Self),
                            _ => grains.Grain<IConversationGrain>(group.Key.Key).RenewMonitorsAsync(ids, Self),
                        }
                    );
                }
                catch (Exception e)
                {
                    LogRenewFailed(logger, e, group.Key.Key);
                }
            }
        );
    }

    private enum Kind
    {
        Agent,
        Customer,
        Monitor,
    }

    [LoggerMessage(3001, LogLevel.Warning, "Renewing realtime connections with {Key} failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string key);
}
