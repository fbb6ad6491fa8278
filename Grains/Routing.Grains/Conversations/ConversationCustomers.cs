using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains.Realtime;

namespace Routing.Grains.Conversations;

/// <summary>
/// The customer's side of one conversation (docs/realtime.md): the realtime connections watching it, and what they
/// are told. A push goes to every connection's silo, which hands it to the widget; one that cannot be reached costs
/// that push, never the conversation's step. <see cref="ConversationParties"/> decides when to tell; this class knows whom and how.
/// </summary>
public sealed class ConversationCustomers(string conversationKey, RoutingClock clock, TimeSpan connectionExpiry, ILogger logger)
{
    private readonly ConnectionSet _connections = new(logger);

    /// <summary>Whether a customer watches: the queue then reports the conversation's place in line.</summary>
    public bool Watched => _connections.Count > 0;

    /// <summary>Adds a connection; true when it is the first, so the line's positions should now be reported.</summary>
    public bool Connect(string connectionId, IRealtimeRelay relay)
    {
        var first = !Watched;
        _connections.Add(connectionId, relay, clock.UtcNow);
        return first;
    }

    /// <summary>Removes a connection; true when it was the last, so nobody needs the line's positions any longer.</summary>
    public bool Disconnect(string connectionId) => _connections.Remove(connectionId) && !Watched;

    /// <summary>
    /// Renews the connections a silo still holds and forgets those not renewed in time. Answers whether any was new
    /// here (this activation began after they connected: they missed what it told) and whether there were none before.
    /// </summary>
    public (bool Unknown, bool First) Renew(IReadOnlyList<string> connectionIds, IRealtimeRelay relay)
    {
        var first = !Watched;
        var unknown = _connections.Renew(connectionIds, relay, clock.UtcNow);
        _connections.Expire(clock.UtcNow - connectionExpiry);
        return (unknown, first);
    }

    /// <summary>Tells every connection, each through its own silo.</summary>
    public void Tell(CustomerNotification notification) =>
        _connections.Send(relay => relay.ToCustomersAsync(conversationKey, notification));

    /// <summary>Tells one silo's connections where the conversation stands now, if there is anything to show.</summary>
    public async Task RetellAsync(IRealtimeRelay relay, CustomerSnapshot snapshot)
    {
        if (NoticeOf(snapshot) is not { } notice)
        {
            return;
        }
        try
        {
            await relay.ToCustomersAsync(conversationKey, notice);
        }
        catch (Exception e)
        {
            Log.RelayUnreachable(logger, e);
        }
    }

    /// <summary>What a customer who missed the pushes needs to see: the place in line, the agent, or the end.</summary>
    public static CustomerNotification? NoticeOf(CustomerSnapshot snapshot) =>
        snapshot switch
        {
            { Position: { } position } => new PositionNotice(position),
            { State: ConversationState.Connected } => new AgentJoinedNotice(snapshot.AgentName),
            _ when snapshot.State.IsFinal() || snapshot.State == ConversationState.WrapUp => new ConversationEndedNotice(snapshot.State),
            _ => null, // being offered: nothing new to show
        };
}
