using Microsoft.AspNetCore.SignalR;
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
    private string WorkspaceName => Workspace.Of(Context.GetHttpContext()!);

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, SupervisorFeed.Group(WorkspaceName));
        await feed.FollowAsync(WorkspaceName);
    }

    public async Task<SupervisorSnapshot> Resync()
    {
        var directory = grains.GetGrain<IDirectoryGrain>(WorkspaceName);
        var queues = await directory.ListQueuesAsync();
        var stats = await Task.WhenAll(queues.Select(q => grains.GetGrain<IQueueGrain>(GrainKeys.For(WorkspaceName, q.QueueId)).GetStatsAsync()));
        return new SupervisorSnapshot(stats, await directory.ListAgentsAsync());
    }

    public Task<AgentView> SetAgentStatus(string agentId, AgentStatus status, string? reason)
    {
        HubErrors.Require(RequestValidator.IsId(agentId), "agentId", "invalid-id", "'agentId' is not a valid id.");
        HubErrors.Require(Enum.IsDefined(status), "status", "unknown-status", "'status' must be Available, Away or Offline.");
        return grains.GetGrain<IAgentGrain>(GrainKeys.For(WorkspaceName, agentId)).SetStatusAsync(status, reason);
    }

    public Task<ConversationView> MoveConversation(string conversationId, string toQueueId)
    {
        RealtimeChecks.ConversationId(conversationId);
        HubErrors.Require(RequestValidator.IsId(toQueueId), "toQueueId", "invalid-id", "'toQueueId' is not a valid id.");
        return grains.GetGrain<IConversationGrain>(GrainKeys.For(WorkspaceName, conversationId)).MoveToQueueAsync(toQueueId);
    }
}
