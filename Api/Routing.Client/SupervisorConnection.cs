using Microsoft.AspNetCore.SignalR.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Client;

/// <summary>A supervisor's realtime connection (<c>/hubs/supervisor</c>): queue statistics each second, agent status and load
/// changes.</summary>
public sealed class SupervisorConnection : RealtimeConnection
{
    public SupervisorConnection(RealtimeOptions options)
        : base(options, "/hubs/supervisor")
    {
        Hub.On<QueueStats>(nameof(ISupervisorClient.QueueStatsUpdated), stats => QueueStatsUpdated?.Invoke(stats));
        Hub.On<AgentStatusChanged>(nameof(ISupervisorClient.AgentStatusChanged), change => AgentStatusChanged?.Invoke(change));
        Hub.On<IReadOnlyList<AgentLoadChanged>>(
            nameof(ISupervisorClient.AgentLoadsChanged),
            changes =>
            {
                foreach (var change in changes)
                {
                    AgentLoadChanged?.Invoke(change);
                }
            }
        );
    }

    /// <summary>The snapshot taken at the last (re)connect.</summary>
    public SupervisorSnapshot? Snapshot { get; private set; }

    public event Action<QueueStats>? QueueStatsUpdated;

    public event Action<AgentStatusChanged>? AgentStatusChanged;

    public event Action<AgentLoadChanged>? AgentLoadChanged;

    /// <summary>A queue's drill-down: the conversations waiting in it, first in line first.</summary>
    public Task<IReadOnlyList<WaitingView>> WaitingAsync(string queueId) =>
        Call<IReadOnlyList<WaitingView>>(nameof(ISupervisorHub.Waiting), queueId);

    public Task<AgentView> SetAgentStatusAsync(string agentId, AgentStatus status, string? reason = null) =>
        Call<AgentView>(nameof(ISupervisorHub.SetAgentStatus), agentId, status, reason);

    public Task<ConversationView> MoveConversationAsync(string conversationId, string toQueueId) =>
        Call<ConversationView>(nameof(ISupervisorHub.MoveConversation), conversationId, toQueueId);

    protected override async Task ApplySnapshotAsync() => Snapshot = await Call<SupervisorSnapshot>(nameof(ISupervisorHub.Resync));
}
