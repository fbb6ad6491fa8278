using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains.Queues;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>What happens to a conversation after its offer: answers, messages, completion, transfers, the end.</summary>
public sealed partial class ConversationGrain
{
    public async Task<ConversationView> AcceptAsync(string agentId)
    {
        if (_journal.Record is { State: ConversationState.Connected } held && held.AgentId == agentId)
        {
            // A second accept is refused; but it may be a retry of one whose answer was lost (its silo died), so the
            // agent's clients hear again that they hold the conversation.
            await TellAgentConnectedAsync(agentId, held);
        }
        var record = ConversationLifecycle.RequireOfferHeldBy(Current, agentId);
        if (await Agent(agentId).ConfirmAsync(_conversationId, record.Channel, record.QueueId) is not { } agent)
        {
            await ReturnToLineAsync("offer-expired", exclude: null, answer: "expired", release: null);
            throw RoutingException.Conflict(
                "offer-expired",
                $"The offer of conversation '{_conversationId}' to agent '{agentId}' has expired.",
                "agentId"
            );
        }
        var now = _clock.UtcNow;
        try
        {
            await _journal.CommitAsync(ConversationLifecycle.Accept(record, agentId, now));
        }
        catch
        {
            await Agent(agentId).ReleaseAsync(_conversationId, ConversationState.Offered, "write-failed"); // the offer alarm will settle it
            throw;
        }
        _offerAlarm.Cancel();
        _agentName = agent.Definition.Name;
        await TellAgentConnectedAsync(agentId, record);
        _customers.Tell(new AgentJoinedNotice(_agentName));
        await RecordInQueueAsync(record.QueueId, q => q.RecordConnectedAsync(now - record.CreatedAt));
        return _journal.View(null);
    }

    public async Task<ConversationView> DeclineAsync(string agentId)
    {
        ConversationLifecycle.RequireOfferHeldBy(Current, agentId);
        await ReturnToLineAsync("declined", exclude: agentId, answer: "declined", release: "declined");
        return await GetAsync();
    }

    public async Task OfferExpiredAsync(long offerToken)
    {
        if (offerToken != _offerAlarm.Token || _journal.Record is not { State: ConversationState.Offered, AgentId: { } agentId })
        {
            return; // answered, withdrawn or superseded since the alarm was set
        }
        try
        {
            await ReturnToLineAsync("offer-timed-out", exclude: agentId, answer: "timed-out", release: "timed-out");
        }
        catch
        {
            // Not written (the ledger failed): the offer stands as it was, and nothing else would end it, so its
            // end is tried again shortly (docs/reliability.md, R5). The alarm logs the failure.
            var self = GrainFactory.Self<IConversationCallbacks>(this);
            _offerAlarm.Set(_clock.UtcNow + OfferExpiryRetry, token => self.OfferExpiredAsync(token));
            throw;
        }
    }

    /// <summary>How soon an offer's timeout that could not be written is tried again.</summary>
    private static readonly TimeSpan OfferExpiryRetry = TimeSpan.FromSeconds(5);

    public async Task OfferWithdrawnAsync(string agentId)
    {
        if (_journal.Record is { State: ConversationState.Offered } record && record.AgentId == agentId)
        {
            await ReturnToLineAsync("offer-withdrawn", exclude: null, answer: "withdrawn", release: null);
        }
    }

    public async Task<TranscriptMessage> AddMessageAsync(string from, string? agentId, string text)
    {
        var record = Current;
        var message = ConversationLifecycle.Message(record, _journal.TranscriptCount, from, agentId, text, _options, _clock.UtcNow);
        await _journal.CommitAsync(new ConversationLifecycle.Step(record), message);
        _customers.Tell(new CustomerMessageArrived(message));
        if (record is { State: ConversationState.Connected, AgentId: { } holder })
        {
            _ = Agent(holder).NotifyAsync(new AgentMessageArrived(_conversationId, message));
        }
        return message;
    }

    public async Task<ConversationView> CompleteAsync(string agentId, string? disposition)
    {
        if (_journal.Record is { State: ConversationState.WrapUp or ConversationState.Completed } done && done.AgentId == agentId)
        {
            // Completed already by this agent, whose answer may have been lost with a silo: the same answer again,
            // and the agent's slot is freed if that release was lost too (releasing twice changes nothing).
            if (done.State == ConversationState.Completed)
            {
                await Agent(agentId).ReleaseAsync(_conversationId, ConversationState.Completed, done.Disposition);
            }
            return _journal.View(null);
        }
        var record = ConversationLifecycle.RequireConnectedWith(Current, agentId);
        var wrapUp = (await QueueDefinitionAsync(record.QueueId))?.WrapUpSecondsFor(record.Channel) ?? 0;
        var now = _clock.UtcNow;
        var step = ConversationLifecycle.Complete(record, agentId, disposition, wrapUp, now);
        if (step.Next.State == ConversationState.WrapUp)
        {
            await Agent(agentId).BeginWrapUpAsync(_conversationId);
            await _journal.CommitAsync(step);
            ArmWrapUp(step.Next.WrapUpEndsAt!.Value);
            _customers.Tell(new ConversationEndedNotice(ConversationState.WrapUp));
            return _journal.View(null);
        }
        await _journal.CommitAsync(step);
        await Agent(agentId).ReleaseAsync(_conversationId, ConversationState.Completed, disposition);
        _customers.Tell(new ConversationEndedNotice(ConversationState.Completed));
        await RecordInQueueAsync(record.QueueId, q => q.RecordCompletedAsync(now - (record.ConnectedAt ?? now)));
        return _journal.View(null);
    }

    public async Task WrapUpEndedAsync(long token)
    {
        if (token != _wrapUpAlarm.Token || _journal.Record is not { State: ConversationState.WrapUp } record)
        {
            return;
        }
        var now = _clock.UtcNow;
        await _journal.CommitAsync(ConversationLifecycle.EndWrapUp(record, now));
        await Agent(record.AgentId!).ReleaseAsync(_conversationId, ConversationState.Completed, record.Disposition);
        _customers.Tell(new ConversationEndedNotice(ConversationState.Completed));
        await RecordInQueueAsync(record.QueueId, q => q.RecordCompletedAsync(now - (record.ConnectedAt ?? now)));
    }

    public async Task<ConversationView> TransferToQueueAsync(string agentId, string queueId)
    {
        var record = ConversationLifecycle.RequireConnectedWith(Current, agentId);
        if (await Queue(queueId).GetAsync() is null)
        {
            throw RoutingException.NotFound("queue", queueId, "toQueueId");
        }
        var step = ConversationLifecycle.TransferToQueue(record, agentId, queueId, _clock.UtcNow);
        var next = step.Next;
        await _journal.CommitAsync(step);
        await Agent(agentId).ReleaseAsync(_conversationId, ConversationState.Queued, "transferred");
        _agentName = null;
        _customers.Tell(new AgentJoinedNotice(null));
        var position = await EnterLineAsync(next, previousQueueId: record.QueueId);
        return _journal.View(position);
    }

    public async Task<ConversationView> TransferToAgentAsync(string agentId, string toAgentId)
    {
        var record = ConversationLifecycle.RequireConnectedWith(Current, agentId);
        if (toAgentId == agentId)
        {
            throw RoutingException.Invalid("toAgentId", "The conversation is already with that agent.");
        }
        var timeout = (await QueueDefinitionAsync(record.QueueId))?.OfferTimeoutSeconds ?? QueueDefinition.DefaultOfferTimeoutSeconds;
        var expiresAt = _clock.UtcNow.AddSeconds(timeout);
        var reservation = await Agent(toAgentId)
            .ReserveDirectAsync(
                new ReserveSlot(_conversationId, record.Channel, record.QueueId, expiresAt, NoticeOf(record, record.QueueId, expiresAt))
            );
        if (!reservation.Reserved)
        {
            throw RoutingException.Conflict(
                "agent-unavailable",
                $"Agent '{toAgentId}' cannot take the conversation now ({reservation.Reason}).",
                "toAgentId"
            );
        }
        Offered(record, toAgentId, expiresAt, record.QueueId, "transferred");
        await Agent(agentId).ReleaseAsync(_conversationId, ConversationState.Offered, "transferred");
        _agentName = null;
        _customers.Tell(new AgentJoinedNotice(null));
        return _journal.View(null);
    }

    public async Task<ConversationView> AbandonAsync()
    {
        var record = Current;
        var now = _clock.UtcNow;
        await _journal.CommitAsync(ConversationLifecycle.Abandon(record, now));
        _offerAlarm.Cancel();
        await Queue(record.QueueId).RemoveAsync(_conversationId);
        if (record is { State: ConversationState.Offered, AgentId: { } agentId })
        {
            await Agent(agentId).ReleaseOfferAsync(_conversationId, "withdrawn");
        }
        _customers.Tell(new ConversationEndedNotice(ConversationState.Abandoned));
        await RecordInQueueAsync(record.QueueId, q => q.RecordAbandonedAsync(now - record.CreatedAt));
        return _journal.View(null);
    }

    public async Task<ConversationView> RateAsync(int score)
    {
        await _journal.CommitAsync(ConversationLifecycle.Rate(Current, score));
        return _journal.View(null);
    }

    public Task WakeAsync() => Task.CompletedTask;

    /// <summary>
    /// Tells the agent that the accept is written (until then it holds the slot without announcing it). After the
    /// commit, so an agent that cannot be reached costs an announcement — the agent checks assignments it never
    /// heard confirmed — never the answer to an accept that has already happened.
    /// </summary>
    private async Task TellAgentConnectedAsync(string agentId, ConversationRecord record)
    {
        try
        {
            await Agent(agentId).ConnectedAsync(_conversationId, record.Channel, record.QueueId);
        }
        catch (Exception e)
        {
            Log.AgentConfirmMissed(_logger, e, _conversationId, agentId);
        }
    }

    /// <summary>
    /// Tells the queue, for its statistics, what became of the conversation — after the change is committed, so a
    /// queue that cannot be reached (its silo just died) costs a count, never the answer to an accept or a complete
    /// that has already happened.
    /// </summary>
    private async Task RecordInQueueAsync(string queueId, Func<IQueueCallbacks, Task> record)
    {
        try
        {
            await record(Queue(queueId));
        }
        catch (Exception e) when (e is not RoutingException)
        {
            Log.QueueStatisticsMissed(_logger, e, _conversationId, queueId);
        }
    }

    /// <summary>
    /// Back in line at its original place: the wait keeps counting from creation. Written first; only then is
    /// the offer's agent told (<paramref name="release"/> is its answer, or null when it already knows), so a
    /// failed write leaves the offer as it was, still under its alarm.
    /// </summary>
    private async Task ReturnToLineAsync(string reason, string? exclude, string answer, string? release)
    {
        var record = Current;
        var step = ConversationLifecycle.ReturnToLine(record, reason, exclude, answer, _clock.UtcNow);
        var next = step.Next;
        await _journal.CommitAsync(step);
        _offerAlarm.Cancel();
        if (release is not null && record.AgentId is { } agentId)
        {
            try
            {
                await Agent(agentId).ReleaseOfferAsync(_conversationId, release);
            }
            catch (Exception e)
            {
                // Its silo died or is frozen: the line comes first, for nothing else would put the conversation back in it.
                Log.OfferReleaseMissed(_logger, e, _conversationId, agentId);
            }
        }
        await EnterLineAsync(next, previousQueueId: null);
    }

    private void ArmWrapUp(DateTimeOffset endsAt)
    {
        var self = GrainFactory.Self<IConversationCallbacks>(this);
        _wrapUpAlarm.Set(endsAt, token => self.WrapUpEndedAsync(token));
    }
}
