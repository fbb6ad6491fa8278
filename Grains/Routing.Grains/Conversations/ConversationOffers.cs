using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// The conversation's one current offer (docs/conversations.md, "Offers"): made once the agent's slot is reserved, its
/// clock started before anyone hears of it; confirmed at the agent on an accept; or ended — declined, timed out, withdrawn
/// by the agent, expired at the agent, lost with the activation it lived in — and the conversation back in line, written
/// first. It runs on the grain's turn, over the grain's <see cref="ConversationJournal"/>, asks the agents through
/// <see cref="IConversationCalls"/>, and logs with the grain's logger.
/// </summary>
internal sealed class ConversationOffers(
    string conversationId,
    ConversationJournal journal,
    IConversationCalls calls,
    ConversationParties parties,
    ConversationAlarms alarms,
    RoutingClock clock,
    ILogger logger
)
{
    /// <summary>Called by a queue: the conversation is offered to the agent, if it still waits and the agent has room.</summary>
    public async Task<OfferAttempt> FromLineAsync(string agentId, string viaQueueId, int offerTimeoutSeconds)
    {
        if (journal.Record is not { State: ConversationState.Queued } record)
        {
            return new OfferAttempt(OfferOutcome.NotWaiting, null);
        }
        var expiresAt = clock.UtcNow.AddSeconds(offerTimeoutSeconds);
        var reservation = await calls.ReserveAsync(agentId, record, viaQueueId, expiresAt, direct: false);
        if (!reservation.Reserved)
        {
            return new OfferAttempt(OfferOutcome.AgentRefused, reservation.Agent);
        }
        var home = record.QueueId;
        Offered(record, agentId, expiresAt, viaQueueId, viaQueueId == home ? null : "overflow");
        if (viaQueueId != home)
        {
            await calls.RemoveAsync(home); // offered through an overflow queue: its home line lets go now
        }
        return new OfferAttempt(OfferOutcome.Offered, reservation.Agent);
    }

    /// <summary>
    /// A transfer to an agent: the agent holding the conversation offers it to <paramref name="toAgentId"/>, for as long as
    /// its queue gives an offer; refused (409) when that agent cannot take it now.
    /// </summary>
    public async Task ToAgentAsync(ConversationRecord record, string toAgentId)
    {
        var timeout = (await calls.QueueDefinitionAsync(record.QueueId))?.OfferTimeoutSeconds ?? QueueDefinition.DefaultOfferTimeoutSeconds;
        var expiresAt = clock.UtcNow.AddSeconds(timeout);
        var reservation = await calls.ReserveAsync(toAgentId, record, record.QueueId, expiresAt, direct: true);
        if (!reservation.Reserved)
        {
            throw RoutingException.Conflict(
                "agent-unavailable",
                $"Agent '{toAgentId}' cannot take the conversation now ({reservation.Reason}).",
                "toAgentId"
            );
        }
        Offered(record, toAgentId, expiresAt, record.QueueId, "transferred");
    }

    /// <summary>
    /// An accept: the agent takes the slot of its offer. An offer that has expired there is back in line, and the accept is
    /// refused (409).
    /// </summary>
    public async Task<AgentView> ConfirmAsync(ConversationRecord record, string agentId)
    {
        if (await calls.ConfirmAsync(agentId, record) is { } agent)
        {
            return agent;
        }
        // The agent may still count the slot of an offer it withdrew: it lets go once this is written.
        await ReturnToLineAsync("offer-expired", exclude: null, answer: "expired", release: "expired");
        throw RoutingException.Conflict(
            "offer-expired",
            $"The offer of conversation '{conversationId}' to agent '{agentId}' has expired.",
            "agentId"
        );
    }

    /// <summary>The offer's clock rang under <paramref name="token"/>: an offer still standing times out.</summary>
    public async Task ExpiredAsync(long token)
    {
        if (!alarms.IsOffer(token) || journal.Record is not { State: ConversationState.Offered, AgentId: { } agentId })
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
            alarms.RetryOfferExpiry();
            throw;
        }
    }

    /// <summary>
    /// The agent it was offered to left Available: the offer, if still that agent's, goes back to line. The agent keeps the
    /// offer's slot until it hears this is written, so the record never shows it holding more than it can.
    /// </summary>
    public async Task WithdrawnAsync(string agentId)
    {
        if (journal.Record is { State: ConversationState.Offered } record && record.AgentId == agentId)
        {
            await ReturnToLineAsync("offer-withdrawn", exclude: null, answer: "withdrawn", release: "withdrawn");
        }
    }

    /// <summary>The agent it is offered to declines it: back in line, and not offered to that agent again.</summary>
    public async Task DeclinedAsync(ConversationRecord record, string agentId)
    {
        ConversationLifecycle.RequireOfferHeldBy(record, agentId);
        await ReturnToLineAsync("declined", exclude: agentId, answer: "declined", release: "declined");
    }

    /// <summary>A fresh activation holds no offer: the one on record died with the old activation, and its agent lets it go.</summary>
    public async Task LostOnActivationAsync()
    {
        Log.OfferLostOnActivation(logger, conversationId);
        await ReturnToLineAsync("offer-lost", exclude: null, answer: "lost", release: "withdrawn");
    }

    /// <summary>The offer is answered, or the conversation no longer waits: its clock stops.</summary>
    public void Ended() => alarms.OfferEnded();

    /// <summary>
    /// Back in line at its original place: the wait keeps counting from creation. Written first; only then is
    /// the offer's agent told (<paramref name="release"/> is its answer, or null when it already knows), so a
    /// failed write leaves the offer as it was, still under its alarm.
    /// </summary>
    public async Task ReturnToLineAsync(string reason, string? exclude, string answer, string? release)
    {
        var record = journal.Record!;
        var step = ConversationLifecycle.ReturnToLine(record, reason, exclude, answer, clock.UtcNow);
        await journal.CommitAsync(step);
        alarms.OfferEnded();
        await parties.BackInLineAsync(record, step.Next, release);
    }

    /// <summary>
    /// The agent's slot is reserved: record the offer and start its clock. The offer is written at once but not
    /// waited for here (docs/reliability.md, "Every transition on record"): the queue's matching goes on while the
    /// ledger's group commit takes it with other grains' writes. What answers with the conversation's state waits for
    /// it, so an offer the API has reported is on record; one that dies with its silo before that is still in the
    /// timeline's next write, or the conversation is simply back in line.
    /// </summary>
    private void Offered(ConversationRecord record, string agentId, DateTimeOffset expiresAt, string viaQueueId, string? reason)
    {
        var step = ConversationLifecycle.Offer(record, agentId, expiresAt, viaQueueId, reason, clock.UtcNow);
        alarms.Offer(expiresAt); // the clock runs before anyone hears of the offer
        journal.WriteOffer(step);
    }
}
