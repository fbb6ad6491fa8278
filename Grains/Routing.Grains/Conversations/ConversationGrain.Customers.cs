using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains.Queues;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// The customer's side: realtime connections, what they are told, their snapshot on (re)connect, and the
/// line the conversation waits in — which the queue watches for position changes while a customer is connected.
/// </summary>
public sealed partial class ConversationGrain
{
    public async Task ConnectCustomerAsync(string connectionId, IRealtimeRelay relay)
    {
        var record = Current;
        if (_customers.Connect(connectionId, relay) && record.State == ConversationState.Queued)
        {
            await Queue(record.QueueId).WatchAsync(_conversationId, true);
        }
    }

    public async Task DisconnectCustomerAsync(string connectionId)
    {
        if (_customers.Disconnect(connectionId) && _journal.Record is not null)
        {
            await Queue(_journal.Record.QueueId).WatchAsync(_conversationId, false);
            LetGoIfDone();
        }
    }

    public async Task RenewCustomersAsync(IReadOnlyList<string> connectionIds, IRealtimeRelay relay)
    {
        if (_journal.Record is null)
        {
            return;
        }
        var (unknown, first) = _customers.Renew(connectionIds, relay);
        if (unknown)
        {
            await RetellCustomersAsync(relay, watch: first);
        }
    }

    /// <summary>
    /// Customer connections this activation had not known (it was activated afresh after its silo died) missed
    /// what it told: their silo hears where the conversation stands now, and its queue reports positions again.
    /// </summary>
    private async Task RetellCustomersAsync(IRealtimeRelay relay, bool watch)
    {
        var snapshot = await GetCustomerSnapshotAsync(long.MaxValue);
        if (watch && snapshot.State == ConversationState.Queued)
        {
            await Queue(Current.QueueId).WatchAsync(_conversationId, true);
        }
        await _customers.RetellAsync(relay, snapshot);
    }

    public async Task<CustomerSnapshot> GetCustomerSnapshotAsync(long lastSeen)
    {
        var record = Current;
        var position = record.State == ConversationState.Queued ? await Queue(record.QueueId).GetPositionAsync(_conversationId) : null;
        if (
            _agentName is null
            && record
                is { State: ConversationState.Connected or ConversationState.WrapUp or ConversationState.Completed, AgentId: { } agentId }
        )
        {
            _agentName = (await Agent(agentId).GetAsync())?.Definition.Name;
        }
        var agentName = record.State is ConversationState.Connected or ConversationState.WrapUp or ConversationState.Completed
            ? _agentName
            : null;
        return new CustomerSnapshot(_conversationId, record.State, position, agentName, _journal.MessagesAfter(lastSeen), record.Rating);
    }

    public Task PositionChangedAsync(QueuePosition position)
    {
        if (_journal.Record?.State == ConversationState.Queued)
        {
            _customers.Tell(new PositionNotice(position));
        }
        return Task.CompletedTask;
    }

    public async Task<ConversationView> MoveToQueueAsync(string queueId)
    {
        var record = Current;
        ConversationLifecycle.RequireWaiting(record, "moved");
        if (await Queue(queueId).GetAsync() is null)
        {
            throw RoutingException.NotFound("queue", queueId, "toQueueId");
        }
        var step = ConversationLifecycle.MoveToQueue(record, queueId, _clock.UtcNow);
        var next = step.Next;
        await _journal.CommitAsync(step);
        _offerAlarm.Cancel();
        await Queue(record.QueueId).RemoveAsync(_conversationId);
        if (record is { State: ConversationState.Offered, AgentId: { } agentId })
        {
            await Agent(agentId).ReleaseOfferAsync(_conversationId, "withdrawn");
        }
        return _journal.View(await EnterLineAsync(next, previousQueueId: record.QueueId));
    }

    /// <summary>
    /// Puts the conversation in its queue's line (back in its place: the ticket carries its creation time) and,
    /// while a customer watches, has that queue report its position — and the queue it left stop.
    /// </summary>
    private async Task<QueuePosition> EnterLineAsync(ConversationRecord record, string? previousQueueId)
    {
        var position = await Queue(record.QueueId).EnqueueAsync(record.Ticket(), isArrival: false);
        if (_customers.Watched)
        {
            if (previousQueueId is not null && previousQueueId != record.QueueId)
            {
                await Queue(previousQueueId).WatchAsync(_conversationId, false);
            }
            await Queue(record.QueueId).WatchAsync(_conversationId, true);
            _customers.Tell(new PositionNotice(position));
        }
        return position;
    }
}
