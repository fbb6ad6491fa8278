using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Routing.Api.Auth;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Api.Realtime;

/// <summary>
/// <c>/hubs/supervisor</c>: every queue's live statistics once a second and every agent status change as it
/// happens, for the caller's workspace; a supervisor can set an agent's status and move a waiting conversation, and
/// monitor, whisper in and barge into a live one (docs/supervision.md).
/// </summary>
public sealed class SupervisorHub(IGrainFactory grains, SupervisorFeed feed, RealtimeRelay relay, IOptions<RoutingOptions> options)
    : Hub<ISupervisorClient>,
        ISupervisorHub
{
    /// <summary>How many conversations one connection monitors at once.</summary>
    public const int MaxMonitored = 20;

    private const string MonitoredKey = "monitored";

    /// <summary>How many waiting conversations a queue's drill-down shows, first in line first.</summary>
    public const int MaxWaitingShown = 500;

    /// <summary>The hour of history a dashboard gets on connect, one point per this many seconds (then live, each second).</summary>
    public const int HistoryStepSeconds = 10;

    private string WorkspaceName =>
        Caller.From(Context.User!)?.Workspace ?? throw HubErrors.Error("forbidden", null, "The credential names no workspace.");

    /// <summary>Who the supervisor is, as notes and messages name them: the credential's subject (an account's user name).</summary>
    private string Supervisor => Caller.From(Context.User!)!.Client;

    private IQueueGrain Queue(string queueId) => grains.Queue(WorkspaceName, queueId);

    /// <summary>The conversations this connection monitors, by grain key.</summary>
    private HashSet<string> Monitored
    {
        get
        {
            if (!Context.Items.TryGetValue(MonitoredKey, out var set))
            {
                Context.Items[MonitoredKey] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            return (HashSet<string>)set!;
        }
    }

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, SupervisorFeed.Group(WorkspaceName));
        await feed.FollowAsync(WorkspaceName);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var key in Monitored.ToList())
        {
            relay.UntrackMonitor(Context.ConnectionId, key);
            await grains.Grain<IConversationGrain>(key).StopMonitoringAsync(Context.ConnectionId);
        }
    }

    public async Task<SupervisorSnapshot> Resync()
    {
        var directory = grains.Grain<IDirectoryGrain>(WorkspaceName);
        var queues = (await directory.ListQueuesAsync()).Select(q => Queue(q.QueueId)).ToList();
        var stats = await Task.WhenAll(queues.Select(q => q.GetStatsAsync()));
        var history = await Task.WhenAll(queues.Select(q => q.GetHistoryAsync(HistoryStepSeconds)));
        return new SupervisorSnapshot(
            stats,
            await directory.ListAgentsAsync(),
            stats.Zip(history).ToDictionary(x => x.First.QueueId, x => x.Second, StringComparer.Ordinal)
        );
    }

    public Task<IReadOnlyList<WaitingView>> Waiting(string queueId)
    {
        new RequestValidator().Id(queueId, "queueId").ThrowIfInvalid();
        return Queue(queueId).GetWaitingAsync(MaxWaitingShown);
    }

    public Task<AgentView> SetAgentStatus(string agentId, AgentStatus status, string? reason)
    {
        // The limits of POST /api/agents/{agentId}/status.
        new RequestValidator()
            .Id(agentId, "agentId")
            .Require(Enum.IsDefined(status), "status", "unknown-status", "'status' must be Available, Away or Offline.")
            .StatusReason(reason)
            .ThrowIfInvalid();
        return grains.Agent(WorkspaceName, agentId).SetStatusAsync(status, reason);
    }

    public Task<ConversationView> MoveConversation(string conversationId, string toQueueId)
    {
        RealtimeChecks.ConversationId(conversationId);
        new RequestValidator().Id(toQueueId, "toQueueId").ThrowIfInvalid();
        return grains.Conversation(WorkspaceName, conversationId).MoveToQueueAsync(toQueueId);
    }

    public async Task<ConversationView> Monitor(string conversationId)
    {
        RealtimeChecks.ConversationId(conversationId);
        var key = GrainKeys.For(WorkspaceName, conversationId);
        if (!Monitored.Contains(key) && Monitored.Count >= MaxMonitored)
        {
            throw HubErrors.Error(
                "too-many-monitored",
                "conversationId",
                $"A connection monitors at most {MaxMonitored} conversations at once; stop monitoring one first."
            );
        }
        // Joined to the group first, so nothing said between the answer and the join is missed.
        await Groups.AddToGroupAsync(Context.ConnectionId, RealtimeRelay.MonitorGroup(key));
        try
        {
            var view = await grains.Grain<IConversationGrain>(key).MonitorAsync(Supervisor, Context.ConnectionId, relay.Self);
            Monitored.Add(key);
            relay.TrackMonitor(Context.ConnectionId, key);
            return view;
        }
        catch
        {
            if (!Monitored.Contains(key))
            {
                await Groups.RemoveFromGroupAsync(Context.ConnectionId, RealtimeRelay.MonitorGroup(key));
            }
            throw;
        }
    }

    public async Task StopMonitoring(string conversationId)
    {
        RealtimeChecks.ConversationId(conversationId);
        var key = GrainKeys.For(WorkspaceName, conversationId);
        if (Monitored.Remove(key))
        {
            relay.UntrackMonitor(Context.ConnectionId, key);
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, RealtimeRelay.MonitorGroup(key));
            await grains.Grain<IConversationGrain>(key).StopMonitoringAsync(Context.ConnectionId);
        }
    }

    public Task<ConversationNote> Whisper(string conversationId, string text)
    {
        RealtimeChecks.ConversationId(conversationId);
        RealtimeChecks.Message(text, options.Value);
        return grains.Conversation(WorkspaceName, conversationId).WhisperAsync(Supervisor, text);
    }

    public Task<ConversationView> BargeIn(string conversationId)
    {
        RealtimeChecks.ConversationId(conversationId);
        return grains.Conversation(WorkspaceName, conversationId).BargeInAsync(Supervisor);
    }

    public Task<TranscriptMessage> SendMessage(string conversationId, string text)
    {
        RealtimeChecks.ConversationId(conversationId);
        RealtimeChecks.Message(text, options.Value);
        return grains.Conversation(WorkspaceName, conversationId).AddMessageAsync("supervisor", Supervisor, text);
    }
}
