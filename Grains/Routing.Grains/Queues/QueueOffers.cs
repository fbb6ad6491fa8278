using Routing.Contracts;

namespace Routing.Grains.Queues;

/// <summary>
/// The offers a queue makes from what its <see cref="QueueMatching"/> chooses (docs/routing.md, rules 5 and 6): each one
/// marked under way in the line and the mirror until it is answered, the answer settled (offered, gone, refused: offered
/// again; failed: tried again a second later), the overflow into another queue and back out of it, and the line looked at
/// again at the exact instant time changes it (<see cref="DueChanges"/>). What it asks of other grains goes through
/// <see cref="IMatchingCalls"/>, so it runs, and is property-tested, without a silo. Every handler changes the line and the
/// mirror before it returns; an answer is ignored if its entry was replaced while the attempt was out
/// (<see cref="QueueEntry.Generation"/>).
/// </summary>
internal sealed class QueueOffers(QueueMatching matching, QueueFigures figures, IMatchingCalls calls, RoutingClock clock)
{
    private readonly DueChanges _due = new();

    /// <summary>Puts a conversation in line (<see cref="QueueMatching.Enter"/>) and offers it at once if an agent can take it.</summary>
    public QueueEntry Enter(QueueTicket ticket, bool isArrival)
    {
        var entry = matching.Enter(ticket, isArrival);
        ScheduleTimeEvents(entry);
        TryOffer(entry);
        return entry;
    }

    public void Remove(string conversationId)
    {
        if (matching.Line.TryGet(conversationId, out var entry))
        {
            matching.Line.Remove(conversationId);
            ForgetElsewhere(entry);
        }
    }

    /// <summary>
    /// Updates the mirror; if the agent has room, promises it the best conversations it is eligible for, and returns their
    /// channels. Nothing before the queue is defined.
    /// </summary>
    public IReadOnlyList<string> AgentChanged(AgentAvailability agent) => matching.Apply(agent) ? MatchAgent(agent.AgentId) : [];

    /// <summary>A full pass over the line, after loading or redefining the queue.</summary>
    public void MatchEverything()
    {
        var now = clock.UtcNow;
        foreach (var entry in matching.Line.Entries)
        {
            matching.CheckServable(entry);
            ScheduleTimeEvents(entry);
        }
        foreach (var (entry, agentId) in matching.Everything(now))
        {
            StartOffer(entry, agentId);
        }
    }

    private bool _closed;

    /// <summary>
    /// Once a second: a queue that has just opened by its business hours offers its line at once (docs/routing.md,
    /// "Business hours") — what waited through the closed hours is offered when it opens.
    /// </summary>
    public void CheckOpening()
    {
        var closed = matching.ClosedAt(clock.UtcNow);
        if (_closed && !closed)
        {
            MatchEverything();
        }
        _closed = closed;
    }

    /// <summary>The alarm rang: the entries whose time has come overflow if they waited long enough, and are offered again.</summary>
    public void Tick()
    {
        var now = clock.UtcNow;
        _due.AlarmRang();
        while (_due.TryTakeDue(now, out var id))
        {
            if (matching.Line.TryGet(id, out var entry))
            {
                if (
                    matching.Definition.Overflow is { } overflow
                    && !entry.IsOverflowCopy
                    && !entry.OverflowedOut
                    && entry.Waiting.WaitedAt(now) >= TimeSpan.FromSeconds(overflow.AfterSeconds)
                )
                {
                    entry.OverflowedOut = true;
                    calls.Overflow(entry.Ticket, overflow.QueueId, failed: () => RetryOverflow(entry));
                }
                TryOffer(entry);
                ScheduleTimeEvents(entry);
            }
        }
        ArmAlarm();
    }

    /// <summary>Promises the agent, if it has room, the best conversations it is eligible for.</summary>
    private IReadOnlyList<string> MatchAgent(string agentId)
    {
        var picked = matching.ConversationsFor(agentId, clock.UtcNow);
        foreach (var conversation in picked)
        {
            StartOffer(
                matching.Line.TryGet(conversation.Id, out var entry)
                    ? entry
                    : throw new InvalidOperationException("Picked a conversation not in line."),
                agentId
            );
        }
        return picked.Select(c => c.Channel).ToList();
    }

    private void TryOffer(QueueEntry entry)
    {
        if (matching.AgentFor(entry, clock.UtcNow) is { } agentId)
        {
            StartOffer(entry, agentId);
        }
    }

    /// <summary>The matcher has counted the slot on the agent's candidate; the attempt runs detached.</summary>
    private void StartOffer(QueueEntry entry, string agentId)
    {
        matching.AttemptStarted(entry, agentId);
        calls.Offer(entry.Id, agentId, matching.Definition.OfferTimeoutSeconds, attempt => Answered(entry, agentId, attempt));
    }

    /// <summary>What an offer attempt came to (null: it failed outright) settles the agent's slot and the entry's place.</summary>
    private void Answered(QueueEntry entry, string agentId, OfferAttempt? attempt)
    {
        var line = matching.Line;
        matching.AttemptSettled(entry, agentId, attempt?.Agent);
        if (!line.TryGet(entry.Id, out var current) || current.Generation != entry.Generation)
        {
            MatchAgent(agentId);
            return; // removed or re-entered while the attempt was out: the newer entry decides
        }
        switch (attempt?.Outcome)
        {
            case OfferOutcome.Offered:
                line.Remove(entry.Id);
                figures.Offered(clock.UtcNow);
                ForgetElsewhere(entry);
                break;
            case OfferOutcome.NotWaiting:
                line.Remove(entry.Id);
                ForgetElsewhere(entry);
                break;
            case OfferOutcome.AgentRefused:
                line.ReturnToLine(entry);
                TryOffer(entry);
                break;
            default:
                // The attempt failed outright: keep the place in line and try again a second later.
                line.ReturnToLine(entry);
                _due.Add(entry.Id, clock.UtcNow.AddSeconds(1));
                ArmAlarm();
                return;
        }
        MatchAgent(agentId); // the agent may have room for more than this queue last thought
    }

    /// <summary>The conversation left this line: make sure the queue it overflowed into, or came from, lets go too.</summary>
    private void ForgetElsewhere(QueueEntry entry)
    {
        if (entry.OverflowedOut && matching.Overflow is { } overflow)
        {
            calls.Release(overflow.QueueId, entry.Id);
        }
        if (entry.IsOverflowCopy)
        {
            calls.Release(entry.Ticket.QueueId, entry.Id);
        }
    }

    /// <summary>The overflow queue could not take the conversation: it has not overflowed, and tries again in 5 seconds.</summary>
    private void RetryOverflow(QueueEntry entry)
    {
        entry.OverflowedOut = false;
        _due.Add(entry.Id, clock.UtcNow.AddSeconds(5));
        ArmAlarm();
    }

    /// <summary>Remembers when the entry's eligibility next changes by itself (<see cref="DueChanges.NextChangeAt"/>).</summary>
    private void ScheduleTimeEvents(QueueEntry entry)
    {
        if (DueChanges.NextChangeAt(entry, matching.Overflow, clock.UtcNow) is { } at)
        {
            _due.Add(entry.Id, at);
            ArmAlarm();
        }
    }

    private void ArmAlarm()
    {
        if (_due.AlarmToSet() is { } at)
        {
            calls.WakeAt(at);
        }
    }
}
