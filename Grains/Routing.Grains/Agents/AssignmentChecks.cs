using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Grains.Agents;

/// <summary>
/// The checks on accepts the conversation never confirmed (docs/conversations.md, "When a silo dies"): an accept
/// is held but not announced until the conversation says it wrote it; one it has not confirmed after
/// <see cref="SlotBook.OfferGrace"/> is asked about, and freed if the conversation does not hold the agent — the
/// accept's write died with the conversation's silo. The slot book keeps what is due and the questions under way; this
/// keeps the alarm, asks the conversations and takes their answers. It runs on the grain's scheduler, and its alarm and
/// the answers call the grain back through <paramref name="self"/>.
/// </summary>
internal sealed class AssignmentChecks(
    AgentStanding standing,
    AgentDesks desks,
    string workspace,
    IAgentCallbacks self,
    IGrainFactory grains,
    RoutingClock clock,
    ILogger logger
)
{
    private readonly GrainAlarm _alarm = new(clock, logger);

    private SlotBook Book => standing.Book;

    /// <summary>(Re)sets the alarm for the first check due, if any: set every time, as an alarm whose call was lost must not
    /// stop the checks for good.</summary>
    public void Arm()
    {
        if (Book.NextCheckDue is { } due)
        {
            _alarm.Set(due, self.AssignmentCheckAsync);
        }
    }

    /// <summary>The alarm set under <paramref name="token"/> is due: asks about every assignment due for a check.</summary>
    public Task DueAsync(long token)
    {
        if (token != _alarm.Token)
        {
            return Task.CompletedTask;
        }
        _alarm.Cancel();
        var now = clock.UtcNow;
        foreach (var conversationId in Book.DueForCheck(now))
        {
            Ask(conversationId, Book.StartCheck(conversationId, now));
        }
        Arm();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The conversation answered check <paramref name="check"/>: held by the agent, the assignment is announced at last;
    /// not held, its slot is freed and the desks hear the offer is lost. Answers whether the slot was freed (the queues
    /// must hear the agent has room); a stale answer changes nothing.
    /// </summary>
    public bool Answered(string conversationId, long check, ConversationState? state, string? holder)
    {
        if (Book.Answered(conversationId, check) is null)
        {
            return false; // superseded: the assignment was confirmed, released or accepted again since the question was asked
        }
        if (state is ConversationState.Connected or ConversationState.WrapUp && holder == standing.AgentId)
        {
            // Written, but the conversation's word never came (it could not reach this agent): announce it now.
            Book.Update(conversationId, state.Value);
            desks.Accepted(conversationId, state.Value);
            return false;
        }
        // The conversation does not hold this agent: the accept's write died with the conversation's silo. The
        // clients were never told it was theirs; to them the offer is gone. The slot is free.
        Log.AssignmentNotHeld(logger, standing.AgentId, conversationId, state?.ToString() ?? "unknown");
        Book.Forget(conversationId);
        desks.Tell(new OfferEnded(conversationId, "lost"));
        standing.Changed();
        return true;
    }

    /// <summary>
    /// Asks the conversation whether this agent holds it, without waiting here: the conversation may itself be
    /// waiting on this agent. The answer comes back as an ordinary call, <see cref="IAgentCallbacks.AssignmentCheckedAsync"/>.
    /// </summary>
    private void Ask(string conversationId, long check)
    {
        var conversation = grains.ConversationCallbacks(workspace, conversationId);
        _ = Task.Run(async () =>
        {
            try
            {
                ConversationView? seen;
                try
                {
                    seen = await conversation.GetAsync();
                }
                catch (RoutingException e) when (e.Kind == RoutingErrorKind.NotFound)
                {
                    seen = null;
                }
                await self.AssignmentCheckedAsync(conversationId, check, seen?.State, seen?.AgentId);
            }
            catch (Exception e)
            {
                Log.AssignmentCheckFailed(logger, e, standing.AgentId, conversationId);
            }
        });
    }
}
