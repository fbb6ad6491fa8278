using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains.Queues;
using Routing.Grains.Realtime;
using Routing.Ledger;
using Routing.Policy;

namespace Routing.Grains.Agents;

/// <summary>
/// An agent: the authority on its status and its capacity. Queues only hold a mirror of what it can take; a
/// slot is reserved for an offer here or not at all, so an agent never holds more than its capacity.
/// Whenever it gains room it asks its queues for work in the order it ranks them. What it holds and has promised is
/// its <see cref="SlotBook"/>, a pure class; the grain keeps the record, asks the book, and tells the queues, the
/// conversations and the desks. This file holds status and slots; <c>AgentGrain.Presence.cs</c> the realtime
/// connections and what they are told.
/// </summary>
public sealed partial class AgentGrain : Grain, IAgentCallbacks
{
    private readonly ILedger _ledger;
    private readonly RoutingClock _clock;
    private readonly RoutingOptions _options;
    private readonly ConnectionOptions _connectionOptions;
    private readonly ILogger<AgentGrain> _logger;
    private readonly RoutingEvents _events;

    // Working state: the record is durable; the slot book is rebuilt from the conversations the ledger says this
    // agent holds or has pending offers for.
    private readonly SlotBook _book = new();
    private readonly ConnectionSet _connections;
    private readonly GrainAlarm _graceAlarm;
    private readonly GrainAlarm _sweepAlarm;
    private readonly GrainAlarm _confirmAlarm;
    private AgentRecord? _record;
    private AgentDefinition? _ranksOf;
    private IReadOnlyDictionary<string, int>? _ranks;
    private long _version = DateTime.UtcNow.Ticks;
    private string _workspace = "";
    private string _agentId = "";

    public AgentGrain(
        ILedger ledger,
        RoutingClock clock,
        IOptions<RoutingOptions> options,
        IOptions<ConnectionOptions> connectionOptions,
        RoutingEvents events,
        ILogger<AgentGrain> logger
    )
    {
        _events = events;
        _ledger = ledger;
        _clock = clock;
        _options = options.Value;
        _connectionOptions = connectionOptions.Value;
        _logger = logger;
        _connections = new ConnectionSet(logger);
        _graceAlarm = new GrainAlarm(clock, logger);
        _sweepAlarm = new GrainAlarm(clock, logger);
        _confirmAlarm = new GrainAlarm(clock, logger);
    }

    private AgentRecord Record => _record ?? Unknown();

    /// <summary>Asked about an agent that does not exist: answer 404 and do not linger in memory.</summary>
    private AgentRecord Unknown()
    {
        DeactivateOnIdle();
        throw RoutingException.NotFound("agent", _agentId, "agentId");
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_workspace, _agentId) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _record = await _ledger.GetAgentAsync(_workspace, _agentId, cancellationToken);
        if (_record is null)
        {
            return;
        }
        _book.Capacity = Capacity();
        foreach (var c in await _ledger.ListAgentConversationsAsync(_workspace, _agentId, cancellationToken))
        {
            if (c.State is ConversationState.Connected or ConversationState.WrapUp)
            {
                _book.Restore(new AgentAssignment(c.ConversationId, c.Channel, c.QueueId, c.State, c.ConnectedAt ?? c.UpdatedAt));
            }
            else if (
                c is { State: ConversationState.Offered, Offers: [.., { Answer: "pending", ExpiresAt: { } expiresAt } offer] }
                && offer.AgentId == _agentId
            )
            {
                // Offers are on record (docs/reliability.md): one this agent's last activation held, and that its
                // conversation still stands by on another silo, keeps its slot until the conversation answers it or its
                // deadline passes — else the agent would take a new conversation into that slot and be over capacity.
                _book.Restore(new AgentOffer(c.ConversationId, c.Channel, c.QueueId, offer.OfferedAt, expiresAt));
            }
        }
    }

    public async Task<AgentView> DefineAsync(AgentDefinition definition)
    {
        for (var i = 0; i < definition.Queues.Count; i++)
        {
            var queueId = definition.Queues[i].QueueId;
            if (await Queue(queueId).GetAsync() is null)
            {
                throw RoutingException.NotFound("queue", queueId, $"queues[{i}].queueId");
            }
        }
        var now = _clock.UtcNow;
        var left = _record?.Definition.Queues.Select(q => q.QueueId).Except(definition.Queues.Select(q => q.QueueId)).ToList() ?? [];
        var next = _record is null
            ? new AgentRecord(_agentId, definition, AgentStatus.Offline, null, now, now, 0, now)
            : _record with
            {
                Definition = definition,
                UpdatedAt = now,
            };
        await _ledger.SaveAgentAsync(_workspace, next);
        _record = next;
        _book.Capacity = Capacity();
        _version++;
        foreach (var queueId in left)
        {
            _ = Queue(queueId).AgentChangedAsync(Availability());
        }
        await PublishAsync();
        return View();
    }

    public Task<AgentView?> GetAsync() => Task.FromResult(_record is null ? null : View());

    public async Task<AgentView> SetStatusAsync(AgentStatus status, string? reason)
    {
        var record = Record;
        var now = _clock.UtcNow;
        var cameBack = status == AgentStatus.Available && record.Status != AgentStatus.Available;
        await SaveAsync(
            record with
            {
                Status = status,
                Reason = status switch
                {
                    AgentStatus.Available => null,
                    AgentStatus.Away => reason ?? "away",
                    _ => reason,
                },
                StatusSince = record.Status == status ? record.StatusSince : now,
                IdleSince = cameBack ? now : record.IdleSince,
                MissedOffersInRow = cameBack ? 0 : record.MissedOffersInRow,
            }
        );
        if (status != AgentStatus.Available)
        {
            WithdrawOffers();
        }
        await PublishAsync();
        return View();
    }

    public Task<SlotReservation> ReserveAsync(ReserveSlot request) => Task.FromResult(Reserve(request, direct: false));

    public Task<SlotReservation> ReserveDirectAsync(ReserveSlot request)
    {
        _ = Record; // an unknown agent is a 404 for a direct transfer
        return Task.FromResult(Reserve(request, direct: true));
    }

    public async Task<AgentView?> ConfirmAsync(string conversationId, string channel, string queueId)
    {
        // The conversation is in the middle of an accept by this agent, which it will confirm or release.
        var accepted = _book.Accept(conversationId, channel, queueId, _record?.Status == AgentStatus.Available, _clock.UtcNow);
        if (accepted == SlotBook.Acceptance.HeldAlready)
        {
            return View(); // accepted here already, by an earlier attempt
        }
        if (accepted == SlotBook.Acceptance.Refused)
        {
            return null;
        }
        ArmAssignmentCheck(); // (re)set every time: an alarm whose call was lost must not stop the checks for good
        _version++;
        if (accepted == SlotBook.Acceptance.TookFreshSlot)
        {
            PublishLoad(Availability()); // a late accept took a fresh slot
        }
        if (Record.MissedOffersInRow != 0)
        {
            await SaveAsync(Record with { MissedOffersInRow = 0 });
        }
        return View();
    }

    public Task ConnectedAsync(string conversationId, string channel, string queueId)
    {
        var (adopted, overCapacity) = _book.Confirmed(conversationId, channel, queueId, _clock.UtcNow);
        if (adopted)
        {
            // Activated afresh between the accept and its write: the conversation vouches that it holds this agent.
            // Offers this activation made since may no longer fit beside it: they go back, the agent keeps its capacity.
            if (overCapacity)
            {
                WithdrawOffers();
            }
            _version++;
            PublishLoad(Availability());
        }
        // Told again when said again (a retried accept): a client takes a repeat as a no-op.
        Tell(new OfferEnded(conversationId, "accepted"));
        Tell(new AssignmentChanged(conversationId, _book.AssignmentOf(conversationId)!.State, null));
        return Task.CompletedTask;
    }

    public Task AssignmentCheckAsync(long token)
    {
        if (token != _confirmAlarm.Token)
        {
            return Task.CompletedTask;
        }
        _confirmAlarm.Cancel();
        var now = _clock.UtcNow;
        foreach (var conversationId in _book.DueForCheck(now))
        {
            Check(conversationId, _book.StartCheck(conversationId, now));
        }
        ArmAssignmentCheck();
        return Task.CompletedTask;
    }

    public async Task AssignmentCheckedAsync(string conversationId, long check, ConversationState? state, string? holder)
    {
        if (_book.Answered(conversationId, check) is null)
        {
            return; // superseded: the assignment was confirmed, released or accepted again since the question was asked
        }
        if (state is ConversationState.Connected or ConversationState.WrapUp && holder == _agentId)
        {
            // Written, but the conversation's word never came (it could not reach this agent): announce it now.
            _book.Update(conversationId, state.Value);
            Tell(new OfferEnded(conversationId, "accepted"));
            Tell(new AssignmentChanged(conversationId, state.Value, null));
            return;
        }
        // The conversation does not hold this agent: the accept's write died with the conversation's silo. The
        // clients were never told it was theirs; to them the offer is gone. The slot is free.
        Log.AssignmentNotHeld(_logger, _agentId, conversationId, state?.ToString() ?? "unknown");
        _book.Forget(conversationId);
        Tell(new OfferEnded(conversationId, "lost"));
        _version++;
        await PublishAsync();
    }

    public async Task ReleaseOfferAsync(string conversationId, string answer)
    {
        // An offer, or an accept the conversation never wrote and has ended since: the desks hear it is over.
        if (_book.EndOffer(conversationId))
        {
            Tell(new OfferEnded(conversationId, answer));
        }
        if (_record is null)
        {
            return;
        }
        var (next, wentAway) = MissedOffers.After(_record, answer, _options.MissedOffersBeforeAway, _clock.UtcNow);
        if (next is not null)
        {
            await SaveAsync(next);
        }
        if (wentAway)
        {
            Log.AgentAwayAfterMissedOffers(_logger, _agentId, next!.MissedOffersInRow);
            WithdrawOffers();
        }
        _version++;
        await PublishAsync();
    }

    public Task BeginWrapUpAsync(string conversationId)
    {
        if (_book.BeginWrapUp(conversationId, _clock.UtcNow))
        {
            Tell(new AssignmentChanged(conversationId, ConversationState.WrapUp, null));
        }
        return Task.CompletedTask;
    }

    public async Task ReleaseAsync(string conversationId, ConversationState state, string? reason)
    {
        if (_book.Release(conversationId) is not var (wasOffer, wasUnconfirmed))
        {
            return;
        }
        // An assignment never announced (its write failed) is, to the clients, an offer that went away.
        Tell(wasUnconfirmed ? new OfferEnded(conversationId, reason ?? "lost") : new AssignmentChanged(conversationId, state, reason));
        if (_record is not null && !wasOffer)
        {
            // Idle time matters for routing now, not after a restart: it is written with the next status change.
            _record = _record with
            {
                IdleSince = _clock.UtcNow,
            };
        }
        _version++;
        await PublishAsync();
    }

    public async Task WakeAsync()
    {
        if (_record?.Status == AgentStatus.Available)
        {
            await PublishAsync();
        }
    }

    private void ArmAssignmentCheck()
    {
        if (_book.NextCheckDue is { } due)
        {
            var self = GrainFactory.Self<IAgentCallbacks>(this);
            _confirmAlarm.Set(due, t => self.AssignmentCheckAsync(t));
        }
    }

    /// <summary>
    /// Asks the conversation whether this agent holds it, without waiting here: the conversation may itself be
    /// waiting on this agent. The answer comes back as an ordinary call, <see cref="AssignmentCheckedAsync"/>.
    /// </summary>
    private void Check(string conversationId, long check)
    {
        var self = GrainFactory.Self<IAgentCallbacks>(this);
        var conversation = GrainFactory.ConversationCallbacks(_workspace, conversationId);
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
                Log.AssignmentCheckFailed(_logger, e, _agentId, conversationId);
            }
        });
    }

    private SlotReservation Reserve(ReserveSlot request, bool direct)
    {
        if (_book.HasOffer(request.ConversationId))
        {
            return new SlotReservation(true, null, Availability()); // asked again: the same slot
        }
        var refusal =
            _record is null ? "unknown-agent"
            : _record.Status != AgentStatus.Available ? "not-available"
            : !direct && !_record.Definition.Queues.Any(q => q.QueueId == request.QueueId) ? "does-not-serve-queue"
            : _book.Reserve(request, _clock.UtcNow);
        if (refusal is not null)
        {
            return new SlotReservation(false, refusal, Availability());
        }
        if (request.Notice is { } notice)
        {
            Tell(new OfferArrived(notice));
        }
        _version++;
        var availability = Availability();
        PublishLoad(availability);
        // The queue that asked hears the new availability in the answer; only the others need telling.
        Broadcast(availability, except: direct ? null : request.QueueId);
        return new SlotReservation(true, null, availability);
    }

    /// <summary>
    /// Tells the agent's queues what it can take. With room to spare it asks them for work in rank order,
    /// telling each the room the queues before it have promised away; otherwise it just updates their mirrors.
    /// </summary>
    private async Task PublishAsync()
    {
        if (_record is null)
        {
            return;
        }
        var availability = Availability();
        PublishLoad(availability);
        var candidate = new AgentCandidate(
            _agentId,
            availability.Status == AgentStatus.Available,
            availability.Skills,
            Capacity(),
            availability.QueueRanks,
            availability.IdleSince,
            availability.InUse
        );
        if (!candidate.IsReady)
        {
            Broadcast(availability);
            return;
        }
        var inUse = new Dictionary<string, int>(availability.InUse, StringComparer.Ordinal);
        foreach (var queueId in RoutingProfile.QueuesByRank(availability.QueueRanks))
        {
            try
            {
                var promised = await Queue(queueId).AgentReadyAsync(availability with { InUse = new Dictionary<string, int>(inUse) });
                foreach (var channel in promised)
                {
                    inUse[channel] = inUse.GetValueOrDefault(channel) + 1;
                }
            }
            catch (Exception e)
            {
                Log.QueueNotifyFailed(_logger, e, queueId, _agentId);
            }
        }
    }

    private void PublishLoad(AgentAvailability availability) =>
        _events.Publish(
            new AgentLoadChanged(_clock.UtcNow, _workspace, _agentId, availability.InUse, availability.Capacity, availability.MaxTotal)
        );

    private void Broadcast(AgentAvailability availability, string? except = null)
    {
        foreach (var membership in Record.Definition.Queues)
        {
            if (membership.QueueId != except)
            {
                _ = Queue(membership.QueueId).AgentChangedAsync(availability);
            }
        }
    }

    private void WithdrawOffers()
    {
        foreach (var conversationId in _book.WithdrawOffers())
        {
            _ = GrainFactory.ConversationCallbacks(_workspace, conversationId).OfferWithdrawnAsync(_agentId);
            Tell(new OfferEnded(conversationId, "withdrawn"));
        }
        _version++;
    }

    private async Task SaveAsync(AgentRecord next)
    {
        next = next with { UpdatedAt = _clock.UtcNow };
        await _ledger.SaveAgentAsync(_workspace, next);
        var statusChanged = _record?.Status != next.Status || _record?.Reason != next.Reason;
        _record = next;
        _version++;
        if (statusChanged)
        {
            var change = new AgentStatusChanged(next.UpdatedAt, _workspace, _agentId, next.Status, next.Reason);
            _events.Publish(change);
            Tell(new AgentStatusNotice(next.Status, next.Reason));
            _ = PublishPresenceAsync(change);
        }
    }

    private AgentCapacity Capacity() => new(Record.Definition.Capacity, Record.Definition.MaxTotal);

    private AgentAvailability Availability()
    {
        var record = Record;
        return new AgentAvailability(
            _agentId,
            _version,
            record.Status,
            record.Definition.Skills,
            record.Definition.Capacity,
            record.Definition.MaxTotal,
            Ranks(record.Definition),
            _book.InUse(_clock.UtcNow),
            record.IdleSince
        );
    }

    /// <summary>The agent's queue ranks as a dictionary, made once per definition (every availability report carries it).</summary>
    private IReadOnlyDictionary<string, int> Ranks(AgentDefinition definition)
    {
        if (!ReferenceEquals(_ranksOf, definition))
        {
            _ranks = definition.Queues.ToDictionary(q => q.QueueId, q => q.Rank, StringComparer.Ordinal);
            _ranksOf = definition;
        }
        return _ranks!;
    }

    private AgentView View()
    {
        var record = Record;
        return new AgentView(
            _agentId,
            record.Definition,
            record.Status,
            record.Reason,
            record.StatusSince,
            record.IdleSince,
            record.MissedOffersInRow,
            _book.Announced.OrderBy(a => a.Since).ToList(),
            _book.Offers.OrderBy(o => o.OfferedAt).ToList()
        );
    }

    private IQueueCallbacks Queue(string queueId) => GrainFactory.QueueCallbacks(_workspace, queueId);
}
