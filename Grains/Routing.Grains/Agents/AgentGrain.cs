using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains.Realtime;
using Routing.Ledger;
using Routing.Policy;

namespace Routing.Grains.Agents;

/// <summary>
/// An agent: the authority on its status and its capacity. Queues only hold a mirror of what it can take; a
/// slot is reserved for an offer here or not at all, so an agent never holds more than its capacity.
/// Whenever it gains room it asks its queues for work in the order it ranks them. This file holds status and
/// capacity; <c>AgentGrain.Presence.cs</c> the realtime connections and what they are told.
/// </summary>
public sealed partial class AgentGrain : Grain, IAgentGrain
{
    /// <summary>How long past its deadline an unanswered offer still holds its slot, waiting for the conversation to say it expired.</summary>
    private static readonly TimeSpan OfferGrace = TimeSpan.FromSeconds(5);

    /// <summary>How long a question to a conversation about an unconfirmed assignment may go unanswered before it is asked again.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(30);

    private readonly ILedger _ledger;
    private readonly RoutingClock _clock;
    private readonly RoutingOptions _options;
    private readonly ConnectionOptions _connectionOptions;
    private readonly ILogger<AgentGrain> _logger;
    private readonly RoutingEvents _events;

    // Working state: the record is durable; offers are transient (lost offers go back in line); assignments
    // are rebuilt from the conversations the ledger says this agent holds.
    private readonly Dictionary<string, AgentOffer> _offers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentAssignment> _assignments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OfferNotice> _notices = new(StringComparer.Ordinal);

    // Accepted offers the conversation has not yet said it wrote Connected (with when to ask it), and checks under
    // way of what conversations say about assignments held here (each with its sequence number).
    private readonly Dictionary<string, DateTimeOffset> _unconfirmed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Number, DateTimeOffset Asked)> _checks = new(StringComparer.Ordinal);
    private readonly ConnectionSet _connections;
    private readonly GrainAlarm _graceAlarm;
    private readonly GrainAlarm _sweepAlarm;
    private readonly GrainAlarm _confirmAlarm;
    private long _lastCheck;
    private AgentRecord? _record;
    private AgentDefinition? _ranksOf;
    private IReadOnlyDictionary<string, int>? _ranks;
    private long _version = DateTime.UtcNow.Ticks;
    private string _workspace = "";
    private string _agentId = "";

    public AgentGrain(ILedger ledger, RoutingClock clock, IOptions<RoutingOptions> options, IOptions<ConnectionOptions> connectionOptions, RoutingEvents events, ILogger<AgentGrain> logger)
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
        foreach (var c in await _ledger.ListAgentConversationsAsync(_workspace, _agentId, cancellationToken))
        {
            if (c.State is ConversationState.Connected or ConversationState.WrapUp)
            {
                _assignments[c.ConversationId] = new AgentAssignment(c.ConversationId, c.Channel, c.QueueId, c.State, c.ConnectedAt ?? c.UpdatedAt);
            }
            else if (c is { State: ConversationState.Offered, Offers: [.., { Answer: "pending", ExpiresAt: { } expiresAt } offer] } && offer.AgentId == _agentId)
            {
                // Offers are on record (docs/reliability.md): one this agent's last activation held, and that its
                // conversation still stands by on another silo, keeps its slot until the conversation answers it or its
                // deadline passes — else the agent would take a new conversation into that slot and be over capacity.
                _offers[c.ConversationId] = new AgentOffer(c.ConversationId, c.Channel, c.QueueId, offer.OfferedAt, expiresAt);
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
            : _record with { Definition = definition, UpdatedAt = now };
        await _ledger.SaveAgentAsync(_workspace, next);
        _record = next;
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
        await SaveAsync(record with
        {
            Status = status,
            Reason = status switch { AgentStatus.Available => null, AgentStatus.Away => reason ?? "away", _ => reason },
            StatusSince = record.Status == status ? record.StatusSince : now,
            IdleSince = cameBack ? now : record.IdleSince,
            MissedOffersInRow = cameBack ? 0 : record.MissedOffersInRow,
        });
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
        var now = _clock.UtcNow;
        // The conversation is in the middle of an accept by this agent, which it will confirm or release: an answer
        // to a check asked before is stale from now on.
        _checks.Remove(conversationId);
        if (_assignments.ContainsKey(conversationId))
        {
            return View(); // accepted here already, by an earlier attempt
        }
        if (_offers.Remove(conversationId, out var offer))
        {
            (channel, queueId) = (offer.Channel, offer.QueueId);
        }
        else if (_record?.Status != AgentStatus.Available || !HasRoomFor(channel, now))
        {
            return null;
        }
        _assignments[conversationId] = new AgentAssignment(conversationId, channel, queueId, ConversationState.Connected, now);
        Unconfirmed(conversationId, now);
        _version++;
        if (offer is null)
        {
            PublishLoad(Availability()); // a late accept took a fresh slot
        }
        _notices.Remove(conversationId);
        if (Record.MissedOffersInRow != 0)
        {
            await SaveAsync(Record with { MissedOffersInRow = 0 });
        }
        return View();
    }

    public Task ConnectedAsync(string conversationId, string channel, string queueId)
    {
        Settled(conversationId);
        if (!_assignments.ContainsKey(conversationId))
        {
            // Activated afresh between the accept and its write: the conversation vouches that it holds this agent.
            // Offers this activation made since may no longer fit beside it: they go back, the agent keeps its capacity.
            _offers.Remove(conversationId);
            _notices.Remove(conversationId);
            _assignments[conversationId] = new AgentAssignment(conversationId, channel, queueId, ConversationState.Connected, _clock.UtcNow);
            if (_offers.Count > 0 && IsOverCapacity())
            {
                WithdrawOffers();
            }
            _version++;
            PublishLoad(Availability());
        }
        // Told again when said again (a retried accept): a client takes a repeat as a no-op.
        Tell(new OfferEnded(conversationId, "accepted"));
        Tell(new AssignmentChanged(conversationId, _assignments[conversationId].State, null));
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
        foreach (var (conversationId, due) in _unconfirmed.ToList())
        {
            if (due > now)
            {
                continue;
            }
            _unconfirmed[conversationId] = now + OfferGrace; // looked at again then, if still unconfirmed
            if (!_checks.TryGetValue(conversationId, out var asked) || now - asked.Asked >= CheckTimeout)
            {
                Check(conversationId, now); // a question still within its time is left to be answered
            }
        }
        ArmAssignmentCheck();
        return Task.CompletedTask;
    }

    public async Task AssignmentCheckedAsync(string conversationId, long check, ConversationState? state, string? holder)
    {
        if (!_checks.TryGetValue(conversationId, out var current) || current.Number != check
            || !_unconfirmed.ContainsKey(conversationId) || !_assignments.TryGetValue(conversationId, out var assignment))
        {
            return; // superseded: the assignment was confirmed, released or accepted again since the question was asked
        }
        Settled(conversationId);
        if (state is ConversationState.Connected or ConversationState.WrapUp && holder == _agentId)
        {
            // Written, but the conversation's word never came (it could not reach this agent): announce it now.
            if (assignment.State != state)
            {
                _assignments[conversationId] = assignment with { State = state.Value };
            }
            Tell(new OfferEnded(conversationId, "accepted"));
            Tell(new AssignmentChanged(conversationId, state.Value, null));
            return;
        }
        // The conversation does not hold this agent: the accept's write died with the conversation's silo. The
        // clients were never told it was theirs; to them the offer is gone. The slot is free.
        Log.AssignmentNotHeld(_logger, _agentId, conversationId, state?.ToString() ?? "unknown");
        _assignments.Remove(conversationId);
        Tell(new OfferEnded(conversationId, "lost"));
        _version++;
        await PublishAsync();
    }

    public async Task ReleaseOfferAsync(string conversationId, string answer)
    {
        if (_offers.Remove(conversationId))
        {
            _notices.Remove(conversationId);
            Tell(new OfferEnded(conversationId, answer));
        }
        else if (_unconfirmed.ContainsKey(conversationId) && _assignments.Remove(conversationId))
        {
            // accepted here, but the conversation never wrote it and has ended the offer since
            Tell(new OfferEnded(conversationId, answer));
        }
        Settled(conversationId);
        if (_record is null)
        {
            return;
        }
        var record = _record;
        if (answer == "timed-out")
        {
            var missed = record.MissedOffersInRow + 1;
            var away = missed >= _options.MissedOffersBeforeAway && record.Status == AgentStatus.Available;
            await SaveAsync(away
                ? record with { MissedOffersInRow = missed, Status = AgentStatus.Away, Reason = "missed-offers", StatusSince = _clock.UtcNow }
                : record with { MissedOffersInRow = missed });
            if (away)
            {
                Log.AgentAwayAfterMissedOffers(_logger, _agentId, missed);
                WithdrawOffers();
            }
        }
        else if (answer == "declined" && record.MissedOffersInRow != 0)
        {
            await SaveAsync(record with { MissedOffersInRow = 0 });
        }
        _version++;
        await PublishAsync();
    }

    public Task BeginWrapUpAsync(string conversationId)
    {
        if (_assignments.TryGetValue(conversationId, out var assignment))
        {
            _assignments[conversationId] = assignment with { State = ConversationState.WrapUp, Since = _clock.UtcNow };
            Tell(new AssignmentChanged(conversationId, ConversationState.WrapUp, null));
        }
        return Task.CompletedTask;
    }

    public async Task ReleaseAsync(string conversationId, ConversationState state, string? reason)
    {
        var hadOffer = _offers.Remove(conversationId);
        var unconfirmed = _unconfirmed.ContainsKey(conversationId);
        _notices.Remove(conversationId);
        Settled(conversationId);
        if (!_assignments.Remove(conversationId) && !hadOffer)
        {
            return;
        }
        // An assignment never announced (its write failed) is, to the clients, an offer that went away.
        Tell(unconfirmed ? new OfferEnded(conversationId, reason ?? "lost") : new AssignmentChanged(conversationId, state, reason));
        if (_record is not null && !hadOffer)
        {
            // Idle time matters for routing now, not after a restart: it is written with the next status change.
            _record = _record with { IdleSince = _clock.UtcNow };
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

    /// <summary>An accepted offer, held but not announced until the conversation says it wrote it.</summary>
    private void Unconfirmed(string conversationId, DateTimeOffset now)
    {
        _unconfirmed[conversationId] = now + OfferGrace;
        ArmAssignmentCheck(); // (re)set every time: an alarm whose call was lost must not stop the checks for good
    }

    /// <summary>The conversation has settled what the agent's accept became: nothing is left to confirm or check.</summary>
    private void Settled(string conversationId)
    {
        _unconfirmed.Remove(conversationId);
        _checks.Remove(conversationId);
    }

    private bool IsOverCapacity()
    {
        var inUse = InUse(_clock.UtcNow);
        var capacity = Capacity();
        return inUse.Any(c => c.Value > capacity.LimitFor(c.Key)) || inUse.Values.Sum() > capacity.EffectiveTotal;
    }

    private void ArmAssignmentCheck()
    {
        if (_unconfirmed.Count > 0)
        {
            var self = GrainFactory.Self<IAgentGrain>(this);
            _confirmAlarm.Set(_unconfirmed.Values.Min(), t => self.AssignmentCheckAsync(t));
        }
    }

    /// <summary>
    /// Asks the conversation whether this agent holds it, without waiting here: the conversation may itself be
    /// waiting on this agent. The answer comes back as an ordinary call, <see cref="AssignmentCheckedAsync"/>.
    /// </summary>
    private void Check(string conversationId, DateTimeOffset now)
    {
        var check = ++_lastCheck;
        _checks[conversationId] = (check, now);
        var self = GrainFactory.Self<IAgentGrain>(this);
        var conversation = GrainFactory.Conversation(_workspace, conversationId);
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
        var now = _clock.UtcNow;
        if (_offers.ContainsKey(request.ConversationId))
        {
            return new SlotReservation(true, null, Availability());
        }
        var refusal = _record is null ? "unknown-agent"
            : _record.Status != AgentStatus.Available ? "not-available"
            : !direct && !_record.Definition.Queues.Any(q => q.QueueId == request.QueueId) ? "does-not-serve-queue"
            : _assignments.ContainsKey(request.ConversationId) ? "already-assigned"
            : !HasRoomFor(request.Channel, now) ? "no-room"
            : null;
        if (refusal is not null)
        {
            return new SlotReservation(false, refusal, Availability());
        }
        _offers[request.ConversationId] = new AgentOffer(request.ConversationId, request.Channel, request.QueueId, now, request.ExpiresAt);
        if (request.Notice is { } notice)
        {
            _notices[request.ConversationId] = notice;
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
        var candidate = new AgentCandidate(_agentId, availability.Status == AgentStatus.Available, availability.Skills,
            Capacity(), availability.QueueRanks, availability.IdleSince, availability.InUse);
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
        _events.Publish(new AgentLoadChanged(_clock.UtcNow, _workspace, _agentId, availability.InUse, availability.Capacity, availability.MaxTotal));

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
        foreach (var conversationId in _offers.Keys)
        {
            _ = GrainFactory.Conversation(_workspace, conversationId).OfferWithdrawnAsync(_agentId);
            Tell(new OfferEnded(conversationId, "withdrawn"));
        }
        _offers.Clear();
        _notices.Clear();
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

    private bool HasRoomFor(string channel, DateTimeOffset now)
    {
        var inUse = InUse(now);
        return Capacity().HasRoomFor(channel, inUse, inUse.Values.Sum());
    }

    private AgentCapacity Capacity() => new(Record.Definition.Capacity, Record.Definition.MaxTotal);

    /// <summary>Slots in use per channel: assignments, and offers not yet long past their deadline.</summary>
    private Dictionary<string, int> InUse(DateTimeOffset now)
    {
        foreach (var stale in _offers.Values.Where(o => o.ExpiresAt + OfferGrace < now).Select(o => o.ConversationId).ToList())
        {
            _offers.Remove(stale);
            _notices.Remove(stale); // nor told again to a connection renewed later (Retell)
        }
        var inUse = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var channel in _assignments.Values.Select(a => a.Channel).Concat(_offers.Values.Select(o => o.Channel)))
        {
            inUse[channel] = inUse.GetValueOrDefault(channel) + 1;
        }
        return inUse;
    }

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
            InUse(_clock.UtcNow),
            record.IdleSince);
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
        return new AgentView(_agentId, record.Definition, record.Status, record.Reason, record.StatusSince, record.IdleSince,
            record.MissedOffersInRow,
            _assignments.Values.Where(a => !_unconfirmed.ContainsKey(a.ConversationId)).OrderBy(a => a.Since).ToList(), // announced ones only
            _offers.Values.OrderBy(o => o.OfferedAt).ToList());
    }

    private IQueueGrain Queue(string queueId) => GrainFactory.Queue(_workspace, queueId);
}
