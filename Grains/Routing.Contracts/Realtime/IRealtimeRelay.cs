namespace Routing.Contracts.Realtime;

/// <summary>
/// One per silo: the way a grain reaches the realtime connections that live in that silo. Grains keep a
/// reference to the relay of each silo where a connection of theirs lives, and call it for what must arrive
/// (offers, messages); the relay hands it to the SignalR connections of its own process, so no backplane is
/// needed. References are not durable: relays renew their connections with the grains periodically.
/// </summary>
[Alias("routing.IRealtimeRelay")]
public interface IRealtimeRelay : IGrainObserver
{
    /// <summary>Pushes to every connection of the agent <paramref name="agentKey"/> in this silo.</summary>
    [Alias("ToAgent")]
    Task ToAgentAsync(string agentKey, AgentNotification notification);

    /// <summary>Pushes to every customer connection of the conversation <paramref name="conversationKey"/> in this silo.</summary>
    [Alias("ToCustomers")]
    Task ToCustomersAsync(string conversationKey, CustomerNotification notification);

    /// <summary>Pushes to every supervisor connection in this silo that monitors the conversation
    /// <paramref name="conversationKey"/>.</summary>
    [Alias("ToMonitors")]
    Task ToMonitorsAsync(string conversationKey, MonitorNotification notification);
}
