using Microsoft.AspNetCore.SignalR;
using Routing.Api.Auth;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Api.Realtime;

/// <summary>
/// <c>/hubs/supervisor</c>: every queue's live statistics once a second and every agent status change as it
/// happens, for the caller's workspace; a supervisor can set an agent's status and move a waiting conversation.
/// </summary>
public sealed class SupervisorHub(IGrainFactory grains, SupervisorFeed feed) : Hub<ISupervisorClient>, ISupervisorHub
{
    /// <summary>How many waiting conversations a queue's drill-down shows, first in line first.</summary>
    public const int MaxWaitingShown = 500;

    /// <summary>The hour of history a dashboard gets on connect, one point per this many seconds (then live, each second).</summary>
    public const int HistoryStepSeconds = 10;

    private string WorkspaceName =>
        Caller.From(Context.User!)?.Workspace ?? throw HubErrors.Error("forbidden", null, "The credential names no workspace.");

    private IQueueGrain Queue(string queueId) => grains.Queue(WorkspaceName, queueId);

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, SupervisorFeed.Group(WorkspaceName));
        await feed.FollowAsync(WorkspaceName);
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
}
