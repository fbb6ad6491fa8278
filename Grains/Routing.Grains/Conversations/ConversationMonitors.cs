using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains.Realtime;

namespace Routing.Grains.Conversations;

/// <summary>
/// The supervisors' connections monitoring one conversation (docs/supervision.md) and what they are told: every message,
/// every note and every change of state or agent, each through the silo of the connection, as customers are told
/// (<see cref="ConversationCustomers"/>). A connection not renewed in time is forgotten; a silo that cannot be reached
/// costs that push, never the conversation's step.
/// </summary>
public sealed class ConversationMonitors(
    string conversationKey,
    string conversationId,
    RoutingClock clock,
    TimeSpan connectionExpiry,
    ILogger logger
)
{
    private readonly ConnectionSet _connections = new(logger);

    public bool Watched => _connections.Count > 0;

    /// <summary>Whether the connection monitors already (its opening was recorded).</summary>
    public bool Knows(string connectionId) => _connections.Contains(connectionId);

    public void Connect(string connectionId, IRealtimeRelay relay) => _connections.Add(connectionId, relay, clock.UtcNow);

    public void Disconnect(string connectionId) => _connections.Remove(connectionId);

    /// <summary>Renews the connections a silo still holds and forgets those not renewed in time.</summary>
    public void Renew(IReadOnlyList<string> connectionIds, IRealtimeRelay relay)
    {
        _connections.Renew(connectionIds, relay, clock.UtcNow);
        _connections.Expire(clock.UtcNow - connectionExpiry);
    }

    /// <summary>A write was made current: its message, and its last transition as the conversation's new state.</summary>
    public void Changed(ConversationJournal.Change change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!Watched)
        {
            return;
        }
        if (change.Message is { } message)
        {
            Tell(new MonitoredMessage(conversationId, message));
        }
        if (change.Transitions.Count > 0)
        {
            Tell(new MonitoredChange(conversationId, change.Record.State, change.Record.AgentId));
        }
    }

    public void Noted(ConversationNote note) => Tell(new MonitoredNote(conversationId, note));

    private void Tell(MonitorNotification notification) => _connections.Send(relay => relay.ToMonitorsAsync(conversationKey, notification));
}
