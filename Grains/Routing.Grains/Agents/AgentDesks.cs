using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains.Realtime;

namespace Routing.Grains.Agents;

/// <summary>
/// The realtime side of one agent (docs/realtime.md): its connections, each with its silo's relay, what its desks are
/// told, and presence — when the last connection has been gone for <see cref="ConnectionOptions.PresenceGraceSeconds"/>,
/// <see cref="PresenceCheck"/> says the agent is to be set Offline. Its status changes also go to the workspace's
/// presence stream, which the supervisors follow. It reads the agent's <see cref="AgentStanding"/> to tell a new
/// connection everything again and to make the snapshot a reconnecting desk resyncs from; it runs on the grain's
/// scheduler, and its alarms call the grain back through <paramref name="self"/>.
/// </summary>
internal sealed class AgentDesks(
    AgentStanding standing,
    string key,
    IAgentCallbacks self,
    Func<IStreamProvider> streams,
    RoutingClock clock,
    ConnectionOptions options,
    ILogger logger
)
{
    private readonly ConnectionSet _connections = new(logger);
    private readonly GrainAlarm _graceAlarm = new(clock, logger);
    private readonly GrainAlarm _sweepAlarm = new(clock, logger);

    /// <summary>A connection opens; beyond the most an agent may hold, stale ones (a dead silo's) make room first.</summary>
    public Task ConnectAsync(string connectionId, IRealtimeRelay relay)
    {
        if (!_connections.Contains(connectionId) && _connections.Count >= options.MaxConnectionsPerAgent)
        {
            _connections.Expire(clock.UtcNow.AddSeconds(-options.ConnectionExpirySeconds));
            if (_connections.Count >= options.MaxConnectionsPerAgent)
            {
                throw new RoutingException(
                    RoutingErrorKind.Conflict,
                    "too-many-connections",
                    $"An agent may hold at most {options.MaxConnectionsPerAgent} connections at once; close a tab or device first.",
                    "agentId"
                );
            }
        }
        _connections.Add(connectionId, relay, clock.UtcNow);
        _graceAlarm.Cancel();
        ArmSweep();
        return Task.CompletedTask;
    }

    public Task DisconnectAsync(string connectionId)
    {
        if (_connections.Remove(connectionId) && _connections.Count == 0)
        {
            StartGrace();
        }
        return Task.CompletedTask;
    }

    /// <summary>A relay renews its connections; those this activation had not known are told everything again.</summary>
    public Task RenewAsync(IReadOnlyList<string> connectionIds, IRealtimeRelay relay)
    {
        if (standing.Record is null)
        {
            return Task.CompletedTask;
        }
        if (_connections.Renew(connectionIds, relay, clock.UtcNow))
        {
            Retell(relay);
        }
        if (_connections.Count > 0)
        {
            _graceAlarm.Cancel();
            ArmSweep();
        }
        return Task.CompletedTask;
    }

    /// <summary>Something for the desks from elsewhere (a customer's message), delivered to every connection.</summary>
    public Task NotifyAsync(AgentNotification notification)
    {
        Tell(notification);
        return Task.CompletedTask;
    }

    /// <summary>Tells every connected client of the agent, in whichever silo it is connected.</summary>
    public void Tell(AgentNotification notification) =>
        _connections.Send(relay => relay.ToAgentAsync(key, notification), onLost: StartGrace);

    /// <summary>The offer became the agent's assignment, now in <paramref name="state"/>: its desks hear both.</summary>
    public void Accepted(string conversationId, ConversationState state)
    {
        Tell(new OfferEnded(conversationId, "accepted"));
        Tell(new AssignmentChanged(conversationId, state, null));
    }

    /// <summary>The agent's status changed: its desks hear it, and so do the supervisors, through the presence stream.</summary>
    public void StatusChanged(AgentStatusChanged change)
    {
        Tell(new AgentStatusNotice(change.Status, change.Reason));
        _ = PublishPresenceAsync(change);
    }

    /// <summary>What a desk resyncs from (docs/realtime.md, "Reconnecting"): the agent, and what it was told of each offer.</summary>
    public AgentSnapshot Snapshot(AgentView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var offers = view.Offers.Select(o => standing.Book.NoticeOf(o.ConversationId)).OfType<OfferNotice>().ToList();
        return new AgentSnapshot(view, offers, []);
    }

    /// <summary>
    /// The alarm set under <paramref name="token"/> is due: connections not renewed in time are dropped, and the grace
    /// after the last one went is over. Answers whether the agent, still not Offline and with no connection, lapses.
    /// </summary>
    public bool PresenceCheck(long token)
    {
        if (token == _sweepAlarm.Token)
        {
            _sweepAlarm.Cancel();
            if (_connections.Expire(clock.UtcNow.AddSeconds(-options.ConnectionExpirySeconds)) > 0 && _connections.Count == 0)
            {
                StartGrace();
            }
            ArmSweep();
        }
        if (token != _graceAlarm.Token)
        {
            return false;
        }
        _graceAlarm.Cancel();
        if (_connections.Count == 0 && standing.Record is { Status: not AgentStatus.Offline })
        {
            Log.AgentPresenceLapsed(logger, standing.AgentId, options.PresenceGraceSeconds);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Connections this activation had not known missed what it told before (it was activated afresh after its
    /// silo died): tell their silo the agent's whole state again — status, each pending offer, each assignment.
    /// Clients take a repeated push like any other, keyed by conversation, so a repeat changes nothing for them.
    /// </summary>
    private void Retell(IRealtimeRelay relay)
    {
        var record = standing.Record!;
        var notifications = new List<AgentNotification> { new AgentStatusNotice(record.Status, record.Reason) };
        notifications.AddRange(standing.Book.Notices.Select(n => new OfferArrived(n)));
        notifications.AddRange(standing.Book.Announced.Select(a => new AssignmentChanged(a.ConversationId, a.State, null)));
        _ = RetellAsync(relay, notifications);
    }

    private async Task RetellAsync(IRealtimeRelay relay, List<AgentNotification> notifications)
    {
        try
        {
            foreach (var notification in notifications)
            {
                await relay.ToAgentAsync(key, notification);
            }
        }
        catch (Exception e)
        {
            Log.RelayUnreachable(logger, e);
        }
    }

    /// <summary>The last connection went (docs/realtime.md, "Presence"): an agent not Offline has the grace to come back.</summary>
    private void StartGrace()
    {
        if (standing.Record is { Status: not AgentStatus.Offline })
        {
            _graceAlarm.Set(clock.UtcNow.AddSeconds(options.PresenceGraceSeconds), self.PresenceCheckAsync);
        }
    }

    /// <summary>While connections exist, checks when the least recently renewed one would go stale.</summary>
    private void ArmSweep()
    {
        if (_connections.OldestRenewal is { } oldest)
        {
            _sweepAlarm.Set(oldest.AddSeconds(options.ConnectionExpirySeconds), self.PresenceCheckAsync);
        }
    }

    private async Task PublishPresenceAsync(AgentStatusChanged change)
    {
        try
        {
            await streams()
                .GetStream<AgentStatusChanged>(StreamId.Create(RealtimeStreams.PresenceNamespace, change.Workspace))
                .OnNextAsync(change);
        }
        catch (Exception e)
        {
            Log.StreamPublishFailed(logger, e, RealtimeStreams.PresenceNamespace);
        }
    }
}
