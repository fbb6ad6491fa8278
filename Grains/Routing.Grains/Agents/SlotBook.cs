using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Policy;

namespace Routing.Grains.Agents;

/// <summary>
/// An agent's slot book (docs/conversations.md, "Offers"): the offers waiting for its answer, the conversations it
/// holds, and those it accepted that the conversation has not yet confirmed it wrote — all against its capacity per
/// channel and in total. An offer holds its slot from the reservation until it is answered, or until its deadline and
/// <see cref="OfferGrace"/> after it. An offer the agent withdraws (it left Available) keeps its slot until its
/// conversation says it wrote the withdrawal, so the book never holds less than the record shows. Pure: no grain calls
/// and no clock of its own — <see cref="AgentGrain"/> asks it,
/// then tells the queues, the conversations and the desks what it answered. Property-tested without a silo.
/// </summary>
public sealed class SlotBook
{
    /// <summary>How long past its deadline an unanswered offer still holds its slot, waiting for the conversation to say it
    /// expired.</summary>
    public static readonly TimeSpan OfferGrace = TimeSpan.FromSeconds(5);

    /// <summary>How long a question to a conversation about an unconfirmed assignment may go unanswered before it is asked again.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, AgentOffer> _offers = new(StringComparer.Ordinal);

    // Offers withdrawn by the agent whose conversations have not yet said they are back in line: on record they are still
    // offered to this agent, so their slots stay taken until then, or until the deadline and the grace after it.
    private readonly Dictionary<string, AgentOffer> _withdrawn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OfferNotice> _notices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentAssignment> _assignments = new(StringComparer.Ordinal);

    // Accepted offers the conversation has not yet said it wrote Connected (with when to ask it), and the questions
    // under way about them (each with its number, so a late answer to an earlier question is known as such).
    private readonly Dictionary<string, DateTimeOffset> _unconfirmed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Number, DateTimeOffset Asked)> _checks = new(StringComparer.Ordinal);

    // The offers unconfirmed accepts were taken from: should the conversation fail to write the accept, the offer stands
    // again on record and in memory, so it gets its slot back rather than freeing it.
    private readonly Dictionary<string, AgentOffer> _acceptedOffers = new(StringComparer.Ordinal);
    private long _lastCheck;

    /// <summary>The agent's capacity, as its definition says.</summary>
    public AgentCapacity Capacity { get; set; } = new(new Dictionary<string, int>(), null);

    public IReadOnlyCollection<AgentOffer> Offers => _offers.Values;

    public IReadOnlyCollection<AgentAssignment> Assignments => _assignments.Values;

    /// <summary>What the desks were told of each pending offer (only offers made with a notice have one).</summary>
    public IReadOnlyCollection<OfferNotice> Notices => _notices.Values;

    /// <summary>The assignments the desks have been told of: every one but those still unconfirmed.</summary>
    public IEnumerable<AgentAssignment> Announced => _assignments.Values.Where(a => !_unconfirmed.ContainsKey(a.ConversationId));

    /// <summary>When the earliest unconfirmed assignment is due to be asked about, if any is.</summary>
    public DateTimeOffset? NextCheckDue => _unconfirmed.Count == 0 ? null : _unconfirmed.Values.Min();

    public bool HasOffer(string conversationId) => _offers.ContainsKey(conversationId);

    /// <summary>Whether the agent withdrew an offer of the conversation that has not yet said it is back in line.</summary>
    public bool IsWithdrawn(string conversationId) => _withdrawn.ContainsKey(conversationId);

    public bool Holds(string conversationId) => _assignments.ContainsKey(conversationId);

    public bool IsUnconfirmed(string conversationId) => _unconfirmed.ContainsKey(conversationId);

    public AgentAssignment? AssignmentOf(string conversationId) => _assignments.GetValueOrDefault(conversationId);

    public OfferNotice? NoticeOf(string conversationId) => _notices.GetValueOrDefault(conversationId);

    /// <summary>On activation: a conversation the ledger says the agent holds.</summary>
    public void Restore(AgentAssignment assignment) => _assignments[assignment.ConversationId] = assignment;

    /// <summary>On activation: an offer on record that is still pending; it keeps its slot until answered or expired.</summary>
    public void Restore(AgentOffer offer) => _offers[offer.ConversationId] = offer;

    /// <summary>
    /// Reserves a slot for an offer, or says why not: <c>already-assigned</c>, or <c>no-room</c> on the channel or in
    /// total. A repeated reservation of an offer already held succeeds without a second slot, under the later of the two
    /// deadlines (the conversation records the new one). A conversation offered again after a withdrawal it has written
    /// takes the place of its withdrawn offer.
    /// </summary>
    public string? Reserve(ReserveSlot request, DateTimeOffset now)
    {
        if (_offers.TryGetValue(request.ConversationId, out var held))
        {
            if (request.ExpiresAt > held.ExpiresAt)
            {
                _offers[request.ConversationId] = held with { ExpiresAt = request.ExpiresAt };
            }
            return null;
        }
        if (_assignments.ContainsKey(request.ConversationId))
        {
            return "already-assigned";
        }
        _withdrawn.Remove(request.ConversationId, out var withdrawn);
        if (!HasRoomFor(request.Channel, now))
        {
            if (withdrawn is not null)
            {
                _withdrawn[request.ConversationId] = withdrawn;
            }
            return "no-room";
        }
        _offers[request.ConversationId] = new AgentOffer(request.ConversationId, request.Channel, request.QueueId, now, request.ExpiresAt);
        if (request.Notice is { } notice)
        {
            _notices[request.ConversationId] = notice;
        }
        return null;
    }

    /// <summary>
    /// The agent accepts: its offer becomes an assignment, unconfirmed until the conversation says it wrote it. An
    /// accept whose offer has gone (expired, or this activation is new) takes a fresh slot if the agent is available
    /// and has room. A retried accept finds the assignment held already.
    /// </summary>
    public Acceptance Accept(string conversationId, string channel, string queueId, bool available, DateTimeOffset now)
    {
        _checks.Remove(conversationId); // an answer to a question asked before is stale from now on
        if (_assignments.ContainsKey(conversationId))
        {
            return Acceptance.HeldAlready;
        }
        var fromOffer = _offers.Remove(conversationId, out var offer);
        if (fromOffer)
        {
            (channel, queueId) = (offer!.Channel, offer.QueueId);
        }
        else
        {
            // A withdrawn offer's slot is the conversation's own: a fresh slot is taken in its place or not at all.
            _withdrawn.Remove(conversationId, out var withdrawn);
            if (!available || !HasRoomFor(channel, now))
            {
                if (withdrawn is not null)
                {
                    _withdrawn[conversationId] = withdrawn;
                }
                return Acceptance.Refused;
            }
        }
        _assignments[conversationId] = new AgentAssignment(conversationId, channel, queueId, ConversationState.Connected, now);
        _unconfirmed[conversationId] = now + OfferGrace;
        _notices.Remove(conversationId);
        if (fromOffer)
        {
            _acceptedOffers[conversationId] = offer!;
        }
        return fromOffer ? Acceptance.TookOffer : Acceptance.TookFreshSlot;
    }

    /// <summary>
    /// The conversation says it wrote this agent as its holder. Unknown here (this activation is newer than the
    /// accept), it is adopted: it takes the place of any offer for it, and answers whether the other pending offers
    /// no longer fit beside it (they must then be withdrawn).
    /// </summary>
    public (bool Adopted, bool OverCapacity) Confirmed(string conversationId, string channel, string queueId, DateTimeOffset now)
    {
        Settled(conversationId);
        if (_assignments.ContainsKey(conversationId))
        {
            return (false, false);
        }
        _offers.Remove(conversationId);
        _withdrawn.Remove(conversationId);
        _notices.Remove(conversationId);
        _assignments[conversationId] = new AgentAssignment(conversationId, channel, queueId, ConversationState.Connected, now);
        return (true, _offers.Count > 0 && IsOverCapacity(now));
    }

    /// <summary>
    /// The unconfirmed assignments due to be asked about now, each pushed back by <see cref="OfferGrace"/>; those with
    /// a question still within its time are left to be answered. Ask each with <see cref="StartCheck"/>.
    /// </summary>
    public IReadOnlyList<string> DueForCheck(DateTimeOffset now)
    {
        var due = new List<string>();
        foreach (var (conversationId, at) in _unconfirmed.ToList())
        {
            if (at > now)
            {
                continue;
            }
            _unconfirmed[conversationId] = now + OfferGrace;
            if (!_checks.TryGetValue(conversationId, out var asked) || now - asked.Asked >= CheckTimeout)
            {
                due.Add(conversationId);
            }
        }
        return due;
    }

    /// <summary>Records a question about an unconfirmed assignment; its answer must carry the number returned.</summary>
    public long StartCheck(string conversationId, DateTimeOffset now)
    {
        var number = ++_lastCheck;
        _checks[conversationId] = (number, now);
        return number;
    }

    /// <summary>
    /// The answer to question <paramref name="check"/>: the assignment it was about, settled from now on; or null if
    /// the answer is stale — the assignment was confirmed, released or accepted again since the question.
    /// </summary>
    public AgentAssignment? Answered(string conversationId, long check)
    {
        if (
            !_checks.TryGetValue(conversationId, out var current)
            || current.Number != check
            || !_unconfirmed.ContainsKey(conversationId)
            || !_assignments.TryGetValue(conversationId, out var assignment)
        )
        {
            return null;
        }
        Settled(conversationId);
        return assignment;
    }

    /// <summary>An assignment now known to be in <paramref name="state"/> (its conversation said so).</summary>
    public void Update(string conversationId, ConversationState state)
    {
        if (_assignments.TryGetValue(conversationId, out var assignment) && assignment.State != state)
        {
            _assignments[conversationId] = assignment with { State = state };
        }
    }

    /// <summary>An assignment the conversation says it never wrote: its slot is free.</summary>
    public void Forget(string conversationId)
    {
        _assignments.Remove(conversationId);
        _acceptedOffers.Remove(conversationId);
    }

    /// <summary>
    /// The conversation could not write the accept (the ledger refused it): it is still offered to the agent, on record
    /// and in memory, until its deadline. The offer the accept was taken from stands again, with its slot and its
    /// deadline, so that a retried accept takes it and the slot is not given to another conversation while the first
    /// still counts as offered. False if the accept took no offer (a fresh slot) or is not unconfirmed: then the caller
    /// releases it.
    /// </summary>
    public bool AcceptNotWritten(string conversationId)
    {
        if (!_unconfirmed.ContainsKey(conversationId) || !_acceptedOffers.TryGetValue(conversationId, out var offer))
        {
            return false;
        }
        _assignments.Remove(conversationId);
        Settled(conversationId);
        _offers[conversationId] = offer;
        return true;
    }

    /// <summary>
    /// The conversation ended its offer (declined, timed out, withdrawn…): frees the slot. Also frees an accepted but
    /// unconfirmed assignment the conversation ended instead of writing, and the slot of an offer the agent withdrew. Answers
    /// whether the desks must be told (of a withdrawn offer they were told when it was withdrawn).
    /// </summary>
    public bool EndOffer(string conversationId)
    {
        _withdrawn.Remove(conversationId);
        var ended = _offers.Remove(conversationId);
        if (ended)
        {
            _notices.Remove(conversationId);
        }
        else if (_unconfirmed.ContainsKey(conversationId))
        {
            ended = _assignments.Remove(conversationId);
        }
        Settled(conversationId);
        return ended;
    }

    /// <summary>The conversation went to wrap-up; answers whether the agent held it.</summary>
    public bool BeginWrapUp(string conversationId, DateTimeOffset now)
    {
        if (!_assignments.TryGetValue(conversationId, out var assignment))
        {
            return false;
        }
        _assignments[conversationId] = assignment with { State = ConversationState.WrapUp, Since = now };
        return true;
    }

    /// <summary>
    /// The conversation left the agent (completed, transferred, abandoned…): frees whatever it held, offer or
    /// assignment. Null if it held neither; else whether it was an offer and whether the assignment was unconfirmed.
    /// </summary>
    public (bool WasOffer, bool WasUnconfirmed)? Release(string conversationId)
    {
        var wasOffer = _offers.Remove(conversationId) | _withdrawn.Remove(conversationId);
        var wasUnconfirmed = _unconfirmed.ContainsKey(conversationId);
        _notices.Remove(conversationId);
        Settled(conversationId);
        return _assignments.Remove(conversationId) || wasOffer ? (wasOffer, wasUnconfirmed) : null;
    }

    /// <summary>
    /// Every pending offer goes back (the agent left Available, or took on more than fits): their conversations. Each
    /// keeps its slot until its conversation ends it (<see cref="EndOffer"/>) or its deadline and grace pass.
    /// </summary>
    public IReadOnlyList<string> WithdrawOffers()
    {
        var withdrawn = _offers.Keys.ToList();
        foreach (var offer in _offers.Values)
        {
            _withdrawn[offer.ConversationId] = offer;
        }
        _offers.Clear();
        _notices.Clear();
        return withdrawn;
    }

    /// <summary>
    /// Slots in use per channel — assignments, and offers (pending or withdrawn) not long past their deadline; older ones
    /// are let go here.
    /// </summary>
    public Dictionary<string, int> InUse(DateTimeOffset now)
    {
        foreach (var stale in _offers.Values.Where(o => o.ExpiresAt + OfferGrace < now).Select(o => o.ConversationId).ToList())
        {
            _offers.Remove(stale);
            _notices.Remove(stale); // nor told again to a connection renewed later
        }
        foreach (var stale in _withdrawn.Values.Where(o => o.ExpiresAt + OfferGrace < now).Select(o => o.ConversationId).ToList())
        {
            _withdrawn.Remove(stale);
        }
        var inUse = new Dictionary<string, int>(StringComparer.Ordinal);
        var offered = _offers.Values.Concat(_withdrawn.Values).Select(o => o.Channel);
        foreach (var channel in _assignments.Values.Select(a => a.Channel).Concat(offered))
        {
            inUse[channel] = inUse.GetValueOrDefault(channel) + 1;
        }
        return inUse;
    }

    public bool HasRoomFor(string channel, DateTimeOffset now)
    {
        var inUse = InUse(now);
        return Capacity.HasRoomFor(channel, inUse, inUse.Values.Sum());
    }

    public bool IsOverCapacity(DateTimeOffset now)
    {
        var inUse = InUse(now);
        return inUse.Any(c => c.Value > Capacity.LimitFor(c.Key)) || inUse.Values.Sum() > Capacity.EffectiveTotal;
    }

    /// <summary>What the conversation settled about the agent's accept: nothing is left to confirm or ask.</summary>
    private void Settled(string conversationId)
    {
        _unconfirmed.Remove(conversationId);
        _checks.Remove(conversationId);
        _acceptedOffers.Remove(conversationId);
    }

    /// <summary>What became of an accept.</summary>
    public enum Acceptance
    {
        /// <summary>Not available, or no room for a conversation whose offer had gone.</summary>
        Refused,

        /// <summary>The offer's slot became the assignment.</summary>
        TookOffer,

        /// <summary>The offer had gone; a fresh slot was taken.</summary>
        TookFreshSlot,

        /// <summary>A retry: the agent holds the conversation already.</summary>
        HeldAlready,
    }
}
