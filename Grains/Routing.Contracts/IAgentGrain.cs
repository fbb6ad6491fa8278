using Routing.Contracts.Realtime;

namespace Routing.Contracts;

/// <summary>
/// An agent, keyed <c>{workspace}/{agentId}</c>: the authority on its status and capacity. A slot is reserved
/// for an offer only if this grain says so, so no agent ever holds more than its capacity.
/// </summary>
[Alias("routing.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the agent's definition; a new agent starts Offline.</summary>
    [Alias("Define")]
    Task<AgentView> DefineAsync(AgentDefinition definition);

    /// <summary>The agent, or null when it was never defined.</summary>
    [Alias("Get")]
    Task<AgentView?> GetAsync();

    /// <summary>Sets Available, Away (with a reason) or Offline. Leaving Available withdraws pending offers.</summary>
    [Alias("SetStatus")]
    Task<AgentView> SetStatusAsync(AgentStatus status, string? reason);

    /// <summary>A realtime connection of the agent opened in the silo of <paramref name="relay"/>.</summary>
    [Alias("Connect")]
    Task ConnectAsync(string connectionId, IRealtimeRelay relay);

    /// <summary>
    /// A realtime connection closed. When the last one has gone, the agent is set Offline after the presence
    /// grace period unless it reconnects, and its pending offers go back in line.
    /// </summary>
    [Alias("Disconnect")]
    Task DisconnectAsync(string connectionId);

    /// <summary>The relay of a silo says these connections are still open; connections not renewed in time are dropped.</summary>
    [Alias("Renew")]
    Task RenewAsync(IReadOnlyList<string> connectionIds, IRealtimeRelay relay);

    /// <summary>Something for the agent's clients (a customer's message), delivered to every connection.</summary>
    [Alias("Notify"), Orleans.Concurrency.OneWay]
    Task NotifyAsync(AgentNotification notification);

    /// <summary>The agent's view with the full notice of each pending offer, for a client (re)connecting.</summary>
    [Alias("GetSnapshot")]
    Task<AgentSnapshot> GetSnapshotAsync();
}
