using Microsoft.AspNetCore.SignalR.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Client;

/// <summary>A supervisor's realtime connection (<c>/hubs/supervisor</c>): queue statistics each second, agent status and load
/// changes, and the live conversations it monitors (docs/supervision.md), monitored again after every reconnect.</summary>
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
        Hub.On<string, TranscriptMessage>(nameof(ISupervisorClient.MonitoredMessage), (id, m) => MonitoredMessage?.Invoke(id, m));
        Hub.On<string, ConversationNote>(nameof(ISupervisorClient.MonitoredNote), (id, note) => MonitoredNote?.Invoke(id, note));
        Hub.On<string, ConversationState, string?>(
            nameof(ISupervisorClient.MonitoredChange),
            (id, state, agentId) => MonitoredChange?.Invoke(id, state, agentId)
        );
    }

    private readonly HashSet<string> _monitored = new(StringComparer.Ordinal);

    /// <summary>The snapshot taken at the last (re)connect.</summary>
    public SupervisorSnapshot? Snapshot { get; private set; }

    public event Action<QueueStats>? QueueStatsUpdated;

    public event Action<AgentStatusChanged>? AgentStatusChanged;

    public event Action<AgentLoadChanged>? AgentLoadChanged;

    /// <summary>A message in a monitored conversation. After a reconnect the conversation is monitored again and
    /// <see cref="Monitored"/> raised with it whole, so nothing said meanwhile is lost.</summary>
    public event Action<string, TranscriptMessage>? MonitoredMessage;

    public event Action<string, ConversationNote>? MonitoredNote;

    public event Action<string, ConversationState, string?>? MonitoredChange;

    /// <summary>A monitored conversation, whole, as monitoring (again) began.</summary>
    public event Action<ConversationView>? Monitored;

    /// <summary>A queue's drill-down: the conversations waiting in it, first in line first.</summary>
    public Task<IReadOnlyList<WaitingView>> WaitingAsync(string queueId) =>
        Call<IReadOnlyList<WaitingView>>(nameof(ISupervisorHub.Waiting), queueId);

    public Task<AgentView> SetAgentStatusAsync(string agentId, AgentStatus status, string? reason = null) =>
        Call<AgentView>(nameof(ISupervisorHub.SetAgentStatus), agentId, status, reason);

    public Task<ConversationView> MoveConversationAsync(string conversationId, string toQueueId) =>
        Call<ConversationView>(nameof(ISupervisorHub.MoveConversation), conversationId, toQueueId);

    /// <summary>Opens a conversation live, read-only: answers it whole, then its messages, notes and changes are pushed.</summary>
    public async Task<ConversationView> MonitorAsync(string conversationId)
    {
        var view = await Call<ConversationView>(nameof(ISupervisorHub.Monitor), conversationId);
        lock (_monitored)
        {
            _monitored.Add(conversationId);
        }
        return view;
    }

    public async Task StopMonitoringAsync(string conversationId)
    {
        lock (_monitored)
        {
            _monitored.Remove(conversationId);
        }
        await Call<object?>(nameof(ISupervisorHub.StopMonitoring), conversationId);
    }

    public Task<ConversationNote> WhisperAsync(string conversationId, string text) =>
        Call<ConversationNote>(nameof(ISupervisorHub.Whisper), conversationId, text);

    public Task<ConversationView> BargeInAsync(string conversationId) =>
        Call<ConversationView>(nameof(ISupervisorHub.BargeIn), conversationId);

    /// <summary>Writes to the customer and the agent, once joined (<see cref="BargeInAsync"/>).</summary>
    public Task<TranscriptMessage> SendMessageAsync(string conversationId, string text) =>
        Call<TranscriptMessage>(nameof(ISupervisorHub.SendMessage), conversationId, text);

    protected override async Task ApplySnapshotAsync()
    {
        Snapshot = await Call<SupervisorSnapshot>(nameof(ISupervisorHub.Resync));
        List<string> monitored;
        lock (_monitored)
        {
            monitored = [.. _monitored];
        }
        foreach (var id in monitored)
        {
            Monitored?.Invoke(await Call<ConversationView>(nameof(ISupervisorHub.Monitor), id));
        }
    }
}
