using Routing.Contracts;
using Routing.Ledger;
using Routing.Policy;

namespace Routing.Grains.Queues;

/// <summary>The matching half of the queue: offers, agent updates, and the time-based changes of the line.</summary>
public sealed partial class QueueGrain
{
    public Task<IReadOnlyList<string>> AgentReadyAsync(AgentAvailability agent) => Task.FromResult(ApplyAgentAndMatch(agent));

    public Task AgentChangedAsync(AgentAvailability agent)
    {
        ApplyAgentAndMatch(agent);
        return Task.CompletedTask;
    }

    public Task TickAsync()
    {
        var now = _clock.UtcNow;
        _alarmAt = null;
        while (_due.TryPeek(out var id, out var at) && at <= now)
        {
            _due.Dequeue();
            if (_line.TryGet(id, out var entry))
            {
                if (
                    Definition.Overflow is { } overflow
                    && !entry.IsOverflowCopy
                    && !entry.OverflowedOut
                    && entry.Waiting.WaitedAt(now) >= TimeSpan.FromSeconds(overflow.AfterSeconds)
                )
                {
                    entry.OverflowedOut = true;
                    _ = OverflowAsync(entry, overflow.QueueId);
                }
                TryOffer(entry);
                ScheduleTimeEvents(entry);
            }
        }
        ArmAlarm();
        return Task.CompletedTask;
    }

    /// <summary>Updates the mirror; if the agent has room, promises it the best conversations it is eligible for.</summary>
    private IReadOnlyList<string> ApplyAgentAndMatch(AgentAvailability agent)
    {
        if (_info is null)
        {
            return [];
        }
        _agents.Apply(_queueId, agent, out var membershipChanged);
        if (membershipChanged)
        {
            foreach (var entry in _line.Entries)
            {
                CheckServable(entry);
            }
        }
        return MatchAgent(agent.AgentId);
    }

    /// <summary>Promises the agent, if it has room, the best conversations it is eligible for.</summary>
    private IReadOnlyList<string> MatchAgent(string agentId)
    {
        if (!_agents.TryGet(agentId, out var candidate))
        {
            return [];
        }
        var picked = _matcher.ConversationsFor(candidate, _line.InOrderOn(candidate.HasRoomFor), _clock.UtcNow);
        foreach (var conversation in picked)
        {
            StartOffer(
                _line.TryGet(conversation.Id, out var entry)
                    ? entry
                    : throw new InvalidOperationException("Picked a conversation not in line."),
                agentId
            );
        }
        return picked.Select(c => c.Channel).ToList();
    }

    /// <summary>A full pass over the line, after loading or redefining the queue.</summary>
    private void MatchEverything()
    {
        var now = _clock.UtcNow;
        foreach (var entry in _line.Entries)
        {
            CheckServable(entry);
            ScheduleTimeEvents(entry);
        }
        foreach (var (conversation, agent) in _matcher.MatchAll(_line.InOrder.ToList(), _agents.Ready.ToList(), now))
        {
            if (_line.TryGet(conversation.Id, out var entry))
            {
                StartOffer(entry, agent.Id);
            }
        }
    }

    private void TryOffer(QueueEntry entry)
    {
        if (entry.Offering || _agents.Ready.Count == 0)
        {
            return;
        }
        var now = _clock.UtcNow;
        var agent = _agents.ReadyInOrderFor(entry.Waiting.Channel, entry.Waiting.Skills) is { } ordered
            ? _matcher.FirstInOrderFor(entry.Waiting, ordered, now)
            : _matcher.AgentFor(entry.Waiting, _agents.Ready, now);
        if (agent is not null)
        {
            StartOffer(entry, agent.Id);
        }
    }

    /// <summary>The matcher has counted the slot on the agent's candidate; the attempt runs detached.</summary>
    private void StartOffer(QueueEntry entry, string agentId)
    {
        _line.MarkOffering(entry);
        _agents.AttemptStarted(agentId, entry.Ticket.Channel);
        _ = OfferAsync(entry, agentId);
    }

    private async Task OfferAsync(QueueEntry entry, string agentId)
    {
        OfferAttempt? attempt = null;
        try
        {
            attempt = await GrainFactory
                .ConversationCallbacks(_workspace, entry.Id)
                .OfferToAsync(agentId, _queueId, Definition.OfferTimeoutSeconds);
        }
        catch (Exception e)
        {
            Log.OfferFailed(_logger, e, entry.Id, agentId);
        }
        _agents.AttemptSettled(_queueId, agentId, entry.Ticket.Channel, attempt?.Agent);
        if (!_line.TryGet(entry.Id, out var current) || current.Generation != entry.Generation)
        {
            MatchAgent(agentId);
            return; // removed or re-entered while the attempt was out: the newer entry decides
        }
        switch (attempt?.Outcome)
        {
            case OfferOutcome.Offered:
                _line.Remove(entry.Id);
                _statistics.RecordOffered(_clock.UtcNow);
                ForgetElsewhere(entry);
                break;
            case OfferOutcome.NotWaiting:
                _line.Remove(entry.Id);
                ForgetElsewhere(entry);
                break;
            case OfferOutcome.AgentRefused:
                _line.ReturnToLine(entry);
                TryOffer(entry);
                break;
            default:
                // The attempt failed outright: keep the place in line and try again a second later.
                _line.ReturnToLine(entry);
                _due.Enqueue(entry.Id, _clock.UtcNow.AddSeconds(1));
                ArmAlarm();
                return;
        }
        MatchAgent(agentId); // the agent may have room for more than this queue last thought
    }

    /// <summary>The conversation left this line: make sure the queue it overflowed into, or came from, lets go too.</summary>
    private void ForgetElsewhere(QueueEntry entry)
    {
        if (entry.OverflowedOut && _info?.Definition.Overflow is { } overflow)
        {
            _ = GrainFactory.QueueCallbacks(_workspace, overflow.QueueId).RemoveAsync(entry.Id);
        }
        if (entry.IsOverflowCopy)
        {
            _ = GrainFactory.QueueCallbacks(_workspace, entry.Ticket.QueueId).RemoveAsync(entry.Id);
        }
    }

    private async Task OverflowAsync(QueueEntry entry, string overflowQueueId)
    {
        try
        {
            await GrainFactory.QueueCallbacks(_workspace, overflowQueueId).EnqueueAsync(entry.Ticket, isArrival: false);
        }
        catch (Exception e)
        {
            Log.OverflowFailed(_logger, e, entry.Id, _queueId, overflowQueueId);
            entry.OverflowedOut = false;
            _due.Enqueue(entry.Id, _clock.UtcNow.AddSeconds(5));
            ArmAlarm();
        }
    }

    /// <summary>Remembers when the entry's eligibility next changes by itself: a skill step relaxes, or it may overflow.</summary>
    private void ScheduleTimeEvents(QueueEntry entry)
    {
        var now = _clock.UtcNow;
        var waited = entry.Waiting.WaitedAt(now);
        DateTimeOffset? next = entry.Waiting.Skills.NextRelaxationAfter(waited) is { } relaxAt
            ? entry.Waiting.WaitingSince + relaxAt
            : null;
        if (_info?.Definition.Overflow is { } overflow && !entry.IsOverflowCopy && !entry.OverflowedOut)
        {
            var overflowAt = entry.Waiting.WaitingSince + TimeSpan.FromSeconds(overflow.AfterSeconds);
            next = next is { } n && n < overflowAt ? n : overflowAt;
        }
        if (next is { } at)
        {
            _due.Enqueue(entry.Id, at);
            ArmAlarm();
        }
    }

    private void ArmAlarm()
    {
        if (_due.TryPeek(out _, out var at) && (_alarmAt is null || at < _alarmAt))
        {
            _alarmAt = at;
            var self = GrainFactory.Self<IQueueCallbacks>(this);
            _alarm.Set(at, _ => self.TickAsync());
        }
    }

    private QueueEntry NewEntry(QueueTicket ticket, bool overflowedOut)
    {
        var isOverflowCopy = ticket.QueueId != _queueId;
        Overflow? overflow =
            isOverflowCopy ? new Overflow(_queueId, TimeSpan.Zero)
            : _info?.Definition.Overflow is { } rule ? new Overflow(rule.QueueId, TimeSpan.FromSeconds(rule.AfterSeconds))
            : null;
        var waiting = new WaitingConversation(
            ticket.ConversationId,
            ticket.QueueId,
            ticket.Channel,
            ticket.Priority,
            ticket.WaitingSince,
            ticket.Arrival,
            new SkillPlan(
                ticket.Skills.Select(s => new SkillStep(s.Requirements, s.Seconds is { } sec ? TimeSpan.FromSeconds(sec) : null)).ToList()
            ),
            ticket.ExcludedAgents.ToHashSet(StringComparer.Ordinal),
            overflow
        );
        return new QueueEntry(ticket, waiting, ++_generation) { OverflowedOut = overflowedOut, IsOverflowCopy = isOverflowCopy };
    }

    private static AgentAvailability AgentAvailabilityOf(AgentRecord agent, IReadOnlyDictionary<string, int>? inUse) =>
        new(
            agent.AgentId,
            Version: 0,
            agent.Status,
            agent.Definition.Skills,
            agent.Definition.Capacity,
            agent.Definition.MaxTotal,
            agent.Definition.Queues.ToDictionary(q => q.QueueId, q => q.Rank, StringComparer.Ordinal),
            inUse ?? new Dictionary<string, int>(),
            agent.IdleSince
        );
}
