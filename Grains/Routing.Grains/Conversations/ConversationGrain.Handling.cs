using Routing.Contracts;

namespace Routing.Grains.Conversations;

/// <summary>The offer and what follows it: answers, messages, completion, transfers, moves, the end.</summary>
public sealed partial class ConversationGrain
{
    public Task<OfferAttempt> OfferToAsync(string agentId, string viaQueueId, int offerTimeoutSeconds) =>
        _offers.FromLineAsync(agentId, viaQueueId, offerTimeoutSeconds);

    public async Task<ConversationView> DeclineAsync(string agentId)
    {
        await _offers.DeclinedAsync(Current, agentId);
        return await GetAsync();
    }

    public Task OfferExpiredAsync(long offerToken) => _offers.ExpiredAsync(offerToken);

    public Task OfferWithdrawnAsync(string agentId) => _offers.WithdrawnAsync(agentId);

    public async Task<ConversationView> AcceptAsync(string agentId)
    {
        await _parties.AcceptedAgainAsync(_journal.Record, agentId);
        var record = ConversationLifecycle.RequireOfferHeldBy(Current, agentId);
        var agent = await _offers.ConfirmAsync(record, agentId);
        var now = _clock.UtcNow;
        // Not written, the agent lets the slot go; the offer alarm will settle it.
        var releaseSlot = () => _calls.ReleaseAsync(agentId, ConversationState.Offered, "write-failed");
        await _journal.CommitAsync(ConversationLifecycle.Accept(record, agentId, now), null, releaseSlot);
        _offers.Ended();
        await _parties.ConnectedAsync(record, agentId, agent.Definition.Name, now);
        return _journal.View(null);
    }

    public async Task<TranscriptMessage> AddMessageAsync(string from, string? agentId, string text)
    {
        var record = Current;
        var now = _clock.UtcNow;
        var message = ConversationLifecycle.Message(record, _journal.TranscriptCount, from, agentId, text, _options, now, _journal.Notes);
        await _journal.CommitAsync(new ConversationLifecycle.Step(record), message);
        _parties.MessageAdded(record, message);
        if (record.State == ConversationState.SelfService && from == "customer")
        {
            await _selfService.CustomerWroteAsync(record, message); // the bot answers, or a person will
        }
        return message;
    }

    public async Task<ConversationView> CompleteAsync(string agentId, string? disposition)
    {
        await _completion.CompleteAsync(Current, agentId, disposition);
        return _journal.View(null);
    }

    public async Task<ConversationView> FinishWrapUpAsync(string agentId)
    {
        await _completion.FinishWrapUpAsync(Current, agentId);
        return _journal.View(null);
    }

    public Task WrapUpEndedAsync(long token) => _completion.WrapUpEndedAsync(token);

    public async Task<ConversationView> TransferToQueueAsync(string agentId, string queueId)
    {
        var record = ConversationLifecycle.RequireConnectedWith(Current, agentId);
        await _calls.RequireQueueAsync(queueId);
        var step = ConversationLifecycle.TransferToQueue(record, agentId, queueId, _clock.UtcNow);
        await _journal.CommitAsync(step);
        await _parties.TransferredAsync(agentId, ConversationState.Queued);
        return _journal.View(await _parties.EnterLineAsync(step.Next, previousQueueId: record.QueueId));
    }

    public async Task<ConversationView> TransferToAgentAsync(string agentId, string toAgentId)
    {
        var record = ConversationLifecycle.RequireConnectedWith(Current, agentId);
        if (toAgentId == agentId)
        {
            throw RoutingException.Invalid("toAgentId", "The conversation is already with that agent.");
        }
        await _offers.ToAgentAsync(record, toAgentId);
        await _parties.TransferredAsync(agentId, ConversationState.Offered);
        return _journal.View(null);
    }

    public async Task<ConversationView> MoveToQueueAsync(string queueId)
    {
        var record = ConversationLifecycle.RequireWaiting(Current, "moved");
        await _calls.RequireQueueAsync(queueId);
        var step = ConversationLifecycle.MoveToQueue(record, queueId, _clock.UtcNow);
        await _journal.CommitAsync(step);
        _offers.Ended();
        return _journal.View(await _parties.MovedAsync(record, step.Next));
    }

    public async Task<ConversationView> AbandonAsync()
    {
        var record = Current;
        var now = _clock.UtcNow;
        await _journal.CommitAsync(ConversationLifecycle.Abandon(record, now));
        _offers.Ended();
        await _parties.AbandonedAsync(record, now);
        return _journal.View(null);
    }

    public async Task<bool> EndIfIdleAsync()
    {
        var now = _clock.UtcNow;
        if (
            _journal.Record is not { State: ConversationState.SelfService } record
            || now - record.UpdatedAt < TimeSpan.FromSeconds(_options.SelfServiceIdleSeconds)
        )
        {
            return false;
        }
        await _journal.CommitAsync(ConversationLifecycle.Abandon(record, now, SelfServiceStep.Idle));
        await _parties.AbandonedAsync(record, now);
        Log.SelfServiceIdle(_logger, _conversationId, now - record.UpdatedAt);
        return true;
    }
}
