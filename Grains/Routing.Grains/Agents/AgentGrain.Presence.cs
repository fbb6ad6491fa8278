using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Grains.Agents;

/// <summary>
/// The agent's realtime connections: what its clients are told, and presence — when the last connection has
/// been gone for the grace period, the agent is set Offline and its pending offers go back in line.
/// </summary>
public sealed partial class AgentGrain
{
    public Task ConnectAsync(string connectionId, IRealtimeRelay relay)
    {
        _ = Record;
        if (!_connections.Contains(connectionId) && _connections.Count >= _connectionOptions.MaxConnectionsPerAgent)
        {
            // stale ones (a dead silo's) make room first
            _connections.Expire(_clock.UtcNow.AddSeconds(-_connectionOptions.ConnectionExpirySeconds));
            if (_connections.Count >= _connectionOptions.MaxConnectionsPerAgent)
            {
                throw new RoutingException(
                    RoutingErrorKind.Conflict,
                    "too-many-connections",
                    $"An agent may hold at most {_connectionOptions.MaxConnectionsPerAgent} connections at once; close a tab or device "
                        + $"first.",
                    "agentId"
                );
            }
        }
        _connections.Add(connectionId, relay, _clock.UtcNow);
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

    public Task RenewAsync(IReadOnlyList<string> connectionIds, IRealtimeRelay relay)
    {
        if (_record is null)
        {
            return Task.CompletedTask;
        }
        if (_connections.Renew(connectionIds, relay, _clock.UtcNow))
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

    public Task NotifyAsync(AgentNotification notification)
    {
        Tell(notification);
        return Task.CompletedTask;
    }

    public Task<AgentSnapshot> GetSnapshotAsync()
    {
        var view = View();
        var offers = view.Offers.Select(o => _book.NoticeOf(o.ConversationId)).OfType<OfferNotice>().ToList();
        return Task.FromResult(new AgentSnapshot(view, offers, []));
    }

    public async Task PresenceCheckAsync(long token)
    {
        if (token == _sweepAlarm.Token)
        {
            _sweepAlarm.Cancel();
            var cutoff = _clock.UtcNow.AddSeconds(-_connectionOptions.ConnectionExpirySeconds);
            if (_connections.Expire(cutoff) > 0 && _connections.Count == 0)
            {
                StartGrace();
            }
            ArmSweep();
        }
        if (token == _graceAlarm.Token)
        {
            _graceAlarm.Cancel();
            if (_connections.Count == 0 && _record is { Status: not AgentStatus.Offline })
            {
                Log.AgentPresenceLapsed(_logger, _agentId, _connectionOptions.PresenceGraceSeconds);
                await SetStatusAsync(AgentStatus.Offline, "disconnected");
            }
        }
    }

    /// <summary>Tells every connected client of the agent, in whichever silo it is connected.</summary>
    private void Tell(AgentNotification notification)
    {
        var key = this.GetPrimaryKeyString();
        _connections.Send(relay => relay.ToAgentAsync(key, notification), onLost: StartGrace);
    }

    /// <summary>
    /// Connections this activation had not known missed what it told before (it was activated afresh after its
    /// silo died): tell their silo the agent's whole state again — status, each pending offer, each assignment.
    /// Clients take a repeated push like any other, keyed by conversation, so a repeat changes nothing for them.
    /// </summary>
    private void Retell(IRealtimeRelay relay)
    {
        var key = this.GetPrimaryKeyString();
        var record = Record;
        var notifications = new List<AgentNotification> { new AgentStatusNotice(record.Status, record.Reason) };
        notifications.AddRange(_book.Notices.Select(n => new OfferArrived(n)));
        notifications.AddRange(_book.Announced.Select(a => new AssignmentChanged(a.ConversationId, a.State, null)));
        _ = RetellAsync(relay, key, notifications);
    }

    private async Task RetellAsync(IRealtimeRelay relay, string key, List<AgentNotification> notifications)
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
            Log.RelayUnreachable(_logger, e);
        }
    }

    private void StartGrace()
    {
        if (_record is { Status: not AgentStatus.Offline })
        {
            var self = GrainFactory.Self<IAgentCallbacks>(this);
            _graceAlarm.Set(_clock.UtcNow.AddSeconds(_connectionOptions.PresenceGraceSeconds), t => self.PresenceCheckAsync(t));
        }
    }

    /// <summary>While connections exist, checks when the least recently renewed one would go stale.</summary>
    private void ArmSweep()
    {
        if (_connections.OldestRenewal is { } oldest)
        {
            var self = GrainFactory.Self<IAgentCallbacks>(this);
            _sweepAlarm.Set(oldest.AddSeconds(_connectionOptions.ConnectionExpirySeconds), t => self.PresenceCheckAsync(t));
        }
    }

    private Task PublishPresenceAsync(AgentStatusChanged change) => PublishAsync(RealtimeStreams.PresenceNamespace, change);

    private async Task PublishAsync<T>(string streamNamespace, T item)
    {
        try
        {
            await this.GetStreamProvider(RealtimeStreams.Provider)
                .GetStream<T>(StreamId.Create(streamNamespace, _workspace))
                .OnNextAsync(item);
        }
        catch (Exception e)
        {
            Log.StreamPublishFailed(_logger, e, streamNamespace);
        }
    }
}
