using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// Who hears what of a conversation's step once it is written, and in what order (docs/conversations.md): its agent, its
/// queues and its customers. <see cref="ConversationGrain"/>, <see cref="ConversationOffers"/> and
/// <see cref="ConversationCompletion"/> take the step and have the journal write it, then hand it here, so a step that
/// failed to write is heard by nobody. A conversation back in line is put there, and while a customer watches, the queue
/// it waits in reports its place (docs/realtime.md). What this asks and tells goes through <see cref="IConversationCalls"/>,
/// so it runs, and is tested, without a silo.
/// </summary>
internal sealed class ConversationParties(string conversationId, IConversationCalls calls, ConversationCustomers customers)
{
    // The agent's name as the customers see it: known from the accept, or asked for a snapshot if this activation never saw it.
    private string? _agentName;

    /// <summary>Whether a customer watches (see <see cref="ConversationCustomers.Watched"/>).</summary>
    public bool Watched => customers.Watched;

    /// <summary>Accepted: the agent hears it is written, then the customers who joined them, then the queue how long they waited.</summary>
    public async Task ConnectedAsync(ConversationRecord record, string agentId, string agentName, DateTimeOffset now)
    {
        _agentName = agentName;
        await calls.TellConnectedAsync(agentId, record);
        customers.Tell(new AgentJoinedNotice(_agentName));
        await calls.RecordConnectedAsync(record.QueueId, now - record.WaitStart);
    }

    /// <summary>
    /// An accept by the agent already connected is refused; but it may be a retry of one whose answer was lost (its silo
    /// died), so the agent's clients hear again that they hold the conversation.
    /// </summary>
    public async Task AcceptedAgainAsync(ConversationRecord? record, string agentId)
    {
        if (record is { State: ConversationState.Connected } held && held.AgentId == agentId)
        {
            await calls.TellConnectedAsync(agentId, held);
        }
    }

    /// <summary>The agent holding it handed it on (it is now <paramref name="state"/>): its slot is freed, and the customers
    /// hear that nobody holds it.</summary>
    public async Task TransferredAsync(string agentId, ConversationState state)
    {
        await calls.ReleaseAsync(agentId, state, "transferred");
        _agentName = null;
        customers.Tell(new AgentJoinedNotice(null));
    }

    /// <summary>
    /// Someone is typing in a connected conversation: the customer (<paramref name="agentId"/> null) to its agent, or its
    /// agent to the customers. Anyone else, or another state, is told nothing: typing is no step and is not refused.
    /// </summary>
    public void Typing(ConversationRecord? record, string? agentId)
    {
        if (record is not { State: ConversationState.Connected, AgentId: { } holder })
        {
            return;
        }
        if (agentId is null)
        {
            calls.Notify(holder, new CustomerTypingNotice(conversationId));
        }
        else if (agentId == holder)
        {
            customers.Tell(new AgentTypingNotice());
        }
    }

    /// <summary>A supervisor barged in (docs/supervision.md): the customers are told who joined.</summary>
    public void SupervisorJoined(string supervisor) => customers.Tell(new SupervisorJoinedNotice(supervisor));

    /// <summary>In wrap-up: for the customers, it has ended.</summary>
    public void WrappingUp() => customers.Tell(new ConversationEndedNotice(ConversationState.WrapUp));

    /// <summary>Resolved by self-service: for the customers, it has ended.</summary>
    public void Resolved() => customers.Tell(new ConversationEndedNotice(ConversationState.Resolved));

    /// <summary>Completed, by the agent <paramref name="record"/> names with its disposition: the agent's slot is freed, the
    /// customers hear it ended, the queue counts how long it was handled.</summary>
    public async Task CompletedAsync(ConversationRecord record, DateTimeOffset now)
    {
        await calls.ReleaseAsync(record.AgentId!, ConversationState.Completed, record.Disposition);
        customers.Tell(new ConversationEndedNotice(ConversationState.Completed));
        await calls.RecordCompletedAsync(record.QueueId, now - (record.ConnectedAt ?? now));
    }

    /// <summary>Abandoned while <paramref name="record"/>: out of the line and its offer withdrawn, then the customers hear it
    /// ended and the queue counts how long they waited.</summary>
    public async Task AbandonedAsync(ConversationRecord record, DateTimeOffset now)
    {
        if (record.State == ConversationState.SelfService)
        {
            // Left the self-service step: in no line, and no queue's abandon to count (docs/self-service.md).
            customers.Tell(new ConversationEndedNotice(ConversationState.Abandoned));
            return;
        }
        await LeaveLineAsync(record);
        customers.Tell(new ConversationEndedNotice(ConversationState.Abandoned));
        await calls.RecordAbandonedAsync(record.QueueId, now - record.WaitStart);
    }

    /// <summary>Moved while <paramref name="record"/>: out of that line and its offer withdrawn, then into the line of
    /// <paramref name="next"/>.</summary>
    public async Task<QueuePosition> MovedAsync(ConversationRecord record, ConversationRecord next)
    {
        await LeaveLineAsync(record);
        return await EnterLineAsync(next, previousQueueId: record.QueueId);
    }

    /// <summary>
    /// Back in line from the offer of <paramref name="record"/>: the offer's agent is told first (<paramref name="release"/> is
    /// its answer, or null when it already knows), but one that cannot be reached does not keep the conversation out of line.
    /// </summary>
    public async Task BackInLineAsync(ConversationRecord record, ConversationRecord next, string? release)
    {
        if (release is not null && record.AgentId is { } agentId)
        {
            await calls.ReleaseOfferQuietlyAsync(agentId, release);
        }
        await EnterLineAsync(next, previousQueueId: null);
    }

    /// <summary>
    /// Puts the conversation in its queue's line (back in its place: the ticket carries its creation time) and,
    /// while a customer watches, has that queue report its position — and the queue it left stop.
    /// </summary>
    public async Task<QueuePosition> EnterLineAsync(ConversationRecord record, string? previousQueueId)
    {
        var position = await calls.EnqueueAsync(record, isArrival: false);
        await WatchLineAsync(record, position, previousQueueId);
        return position;
    }

    /// <summary>In line at <paramref name="position"/>: while a customer watches, the queue reports its place from now on.</summary>
    public async Task WatchLineAsync(ConversationRecord record, QueuePosition position, string? previousQueueId)
    {
        if (customers.Watched)
        {
            if (previousQueueId is not null && previousQueueId != record.QueueId)
            {
                await calls.WatchAsync(previousQueueId, false);
            }
            await calls.WatchAsync(record.QueueId, true);
            customers.Tell(new PositionNotice(position));
        }
    }

    /// <summary>
    /// A fresh activation of a queued conversation: its queue may have let go of it for an offer that died with the old
    /// activation before it was written, so it goes back in line at its place. A queue that still holds it keeps it there.
    /// </summary>
    public async Task KeepInLineAsync(ConversationRecord record)
    {
        if (await calls.PositionAsync(record.QueueId) is null)
        {
            await calls.EnqueueAsync(record, isArrival: false);
        }
    }

    /// <summary>A message: the customers hear it, and so does the agent holding the conversation, if one does.</summary>
    public void MessageAdded(ConversationRecord record, TranscriptMessage message)
    {
        customers.Tell(new CustomerMessageArrived(message));
        if (record is { State: ConversationState.Connected, AgentId: { } holder })
        {
            calls.Notify(holder, new AgentMessageArrived(conversationId, message));
        }
    }

    /// <summary>The queue's new figure for the conversation's place: told while it waits there.</summary>
    public void PositionChanged(ConversationRecord? record, QueuePosition position)
    {
        if (record?.State == ConversationState.Queued)
        {
            customers.Tell(new PositionNotice(position));
        }
    }

    /// <summary>A customer connects; the first to watch a waiting conversation has its queue report its place.</summary>
    public async Task CustomerConnectedAsync(string connectionId, IRealtimeRelay relay, ConversationRecord record)
    {
        if (customers.Connect(connectionId, relay) && record.State == ConversationState.Queued)
        {
            await calls.WatchAsync(record.QueueId, true);
        }
    }

    /// <summary>A customer leaves; after the last, its queue stops reporting. True then, for a conversation that exists.</summary>
    public async Task<bool> CustomerLeftAsync(string connectionId, ConversationRecord? record)
    {
        if (!customers.Disconnect(connectionId) || record is null)
        {
            return false;
        }
        await calls.WatchAsync(record.QueueId, false);
        return true;
    }

    /// <summary>
    /// A silo renews its customers' connections. Those this activation had not known (it was activated afresh after its
    /// silo died) missed what it told: their silo hears where the conversation stands now, and if nobody watched before,
    /// its queue reports positions again.
    /// </summary>
    public async Task CustomersRenewedAsync(IReadOnlyList<string> connectionIds, IRealtimeRelay relay, ConversationRecord record)
    {
        var (unknown, first) = customers.Renew(connectionIds, relay);
        if (!unknown)
        {
            return;
        }
        var snapshot = await SnapshotAsync(record, []); // no messages: they are not retold
        if (first && snapshot.State == ConversationState.Queued)
        {
            await calls.WatchAsync(record.QueueId, true);
        }
        await customers.RetellAsync(relay, snapshot);
    }

    /// <summary>
    /// What a customer's widget shows on (re)connecting: the state, the place in line while waiting, the agent's name
    /// while an agent holds or held it, <paramref name="messages"/>, those the widget has not seen, and the
    /// <paramref name="supervisor"/> who joined it, if one did.
    /// </summary>
    public async Task<CustomerSnapshot> SnapshotAsync(
        ConversationRecord record,
        IReadOnlyList<TranscriptMessage> messages,
        string? supervisor = null
    )
    {
        var position = record.State == ConversationState.Queued ? await calls.PositionAsync(record.QueueId) : null;
        var withAgent = record.State is ConversationState.Connected or ConversationState.WrapUp or ConversationState.Completed;
        if (withAgent && _agentName is null && record.AgentId is { } agentId)
        {
            _agentName = await calls.AgentNameAsync(agentId);
        }
        var agentName = withAgent ? _agentName : null;
        return new CustomerSnapshot(conversationId, record.State, position, agentName, messages, record.Rating, supervisor);
    }

    /// <summary>Out of the line of <paramref name="record"/>, and an offer under way withdrawn from its agent.</summary>
    private async Task LeaveLineAsync(ConversationRecord record)
    {
        await calls.RemoveAsync(record.QueueId);
        if (record is { State: ConversationState.Offered, AgentId: { } agentId })
        {
            await calls.ReleaseOfferAsync(agentId, "withdrawn");
        }
    }
}
