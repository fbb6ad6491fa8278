using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// How a conversation ends with its agent (docs/conversations.md, "Completion and wrap-up"): completed, into the wrap-up its
/// queue gives the channel, on a clock, or straight through to Completed; the wrap-up's end; and a completion asked again.
/// It runs on the grain's turn, over the grain's <see cref="ConversationJournal"/>: each step written, then the parties told.
/// </summary>
internal sealed class ConversationCompletion(
    ConversationJournal journal,
    IConversationCalls calls,
    ConversationParties parties,
    ConversationAlarms alarms,
    RoutingClock clock
)
{
    /// <summary>The agent completes the conversation, <paramref name="record"/>, with <paramref name="disposition"/>.</summary>
    public async Task CompleteAsync(ConversationRecord record, string agentId, string? disposition)
    {
        if (record is { State: ConversationState.WrapUp or ConversationState.Completed } done && done.AgentId == agentId)
        {
            // Completed already by this agent, whose answer may have been lost with a silo: the same answer again,
            // and the agent's slot is freed if that release was lost too (releasing twice changes nothing).
            if (done.State == ConversationState.Completed)
            {
                await calls.ReleaseAsync(agentId, ConversationState.Completed, done.Disposition);
            }
            return;
        }
        ConversationLifecycle.RequireConnectedWith(record, agentId);
        var queue = await calls.QueueDefinitionAsync(record.QueueId);
        ConversationLifecycle.RequireListedDisposition(queue?.DispositionCodes, disposition);
        var wrapUp = queue?.WrapUpSecondsFor(record.Channel) ?? 0;
        var now = clock.UtcNow;
        var step = ConversationLifecycle.Complete(record, agentId, disposition, wrapUp, now);
        if (step.Next.State == ConversationState.WrapUp)
        {
            await calls.BeginWrapUpAsync(agentId);
            await journal.CommitAsync(step);
            alarms.WrapUp(step.Next.WrapUpEndsAt!.Value);
            parties.WrappingUp();
            return;
        }
        await journal.CommitAsync(step);
        await parties.CompletedAsync(step.Next, now);
    }

    /// <summary>The agent holding <paramref name="record"/> in wrap-up is done early: Completed now, the slot free.</summary>
    public async Task FinishWrapUpAsync(ConversationRecord record, string agentId)
    {
        if (record is { State: ConversationState.Completed } done && done.AgentId == agentId)
        {
            return; // finished already (early or by the clock): the same answer again
        }
        if (record.AgentId != agentId)
        {
            throw RoutingException.Conflict(
                "not-in-wrap-up",
                $"Conversation '{record.ConversationId}' is not in wrap-up with agent '{agentId}'."
            );
        }
        var now = clock.UtcNow;
        await journal.CommitAsync(ConversationLifecycle.EndWrapUp(record, now)); // refuses any state but WrapUp
        await parties.CompletedAsync(record, now);
    }

    /// <summary>The wrap-up's clock rang under <paramref name="token"/>: a wrap-up still under way is over, Completed.</summary>
    public async Task WrapUpEndedAsync(long token)
    {
        if (alarms.IsWrapUp(token) && journal.Record is { State: ConversationState.WrapUp } record)
        {
            var now = clock.UtcNow;
            await journal.CommitAsync(ConversationLifecycle.EndWrapUp(record, now));
            await parties.CompletedAsync(record, now);
        }
    }

    /// <summary>A fresh activation of a conversation in wrap-up: its clock runs again, to the end on record.</summary>
    public void Resume(ConversationRecord record) => alarms.WrapUp(record.WrapUpEndsAt ?? clock.UtcNow);
}
