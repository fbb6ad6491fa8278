using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Ledger;

namespace Routing.Grains.Agents;

/// <summary>
/// An agent: the authority on its status and its capacity. Queues only hold a mirror of what it can take; a
/// slot is reserved for an offer here or not at all, so an agent never holds more than its capacity.
/// Whenever it gains room it asks its queues for work in the order it ranks them. The grain is a shell: it reads and
/// writes the record and hands each call to what owns that part — <see cref="AgentStanding"/> the record, the
/// <see cref="SlotBook"/> and the version (pure); <see cref="AgentQueues"/> what the queues hear; <see cref="AgentDesks"/>
/// the realtime connections, what they are told, and presence; <see cref="AssignmentChecks"/> the accepts a
/// conversation never confirmed.
/// </summary>
public sealed class AgentGrain : Grain, IAgentCallbacks
{
    private readonly ILedger _ledger;
    private readonly RoutingClock _clock;
    private readonly RoutingOptions _options;
    private readonly ILogger<AgentGrain> _logger;
    private readonly RoutingEvents _events;
    private readonly string _workspace;
    private readonly string _agentId;

    // Working state: the record is durable; the slot book is rebuilt from the conversations the ledger says this
    // agent holds or has pending offers for. The connections are not kept: their relays renew them.
    private readonly AgentStanding _standing;
    private readonly AgentQueues _queues;
    private readonly AgentDesks _desks;
    private readonly AssignmentChecks _checks;

    public AgentGrain(
        ILedger ledger,
        RoutingClock clock,
        IOptions<RoutingOptions> options,
        IOptions<ConnectionOptions> connectionOptions,
        RoutingEvents events,
        ILogger<AgentGrain> logger
    )
    {
        _ledger = ledger;
        _clock = clock;
        _options = options.Value;
        _events = events;
        _logger = logger;
        var key = this.GetPrimaryKeyString();
        (_workspace, _agentId) = GrainKeys.Parse(key);
        var self = GrainFactory.Self<IAgentCallbacks>(this);
        Func<IStreamProvider> streams = () => this.GetStreamProvider(RealtimeStreams.Provider);
        _standing = new AgentStanding(_agentId, DateTime.UtcNow.Ticks);
        _queues = new AgentQueues(_standing, _workspace, GrainFactory, events, clock, logger);
        _desks = new AgentDesks(_standing, key, self, streams, clock, connectionOptions.Value, logger);
        _checks = new AssignmentChecks(_standing, _desks, _workspace, self, GrainFactory, clock, logger);
    }

    private SlotBook Book => _standing.Book;

    private AgentRecord Record => _standing.Record ?? throw Unknown();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await _ledger.GetAgentAsync(_workspace, _agentId, cancellationToken) is { } record)
        {
            _standing.Restore(record, await _ledger.ListAgentConversationsAsync(_workspace, _agentId, cancellationToken));
        }
    }

    public async Task<AgentView> DefineAsync(AgentDefinition definition)
    {
        await _queues.CheckExistAsync(definition);
        var left = _standing.QueuesLeftBy(definition);
        var next = _standing.Defined(definition, _clock.UtcNow);
        await _ledger.SaveAgentAsync(_workspace, next);
        _standing.Saved(next);
        _queues.Left(left);
        await _queues.PublishAsync();
        return View();
    }

    public Task<AgentView?> GetAsync() => Task.FromResult(_standing.Record is null ? null : View());

    public async Task<AgentView> SetStatusAsync(AgentStatus status, string? reason)
    {
        await SaveAsync(AgentStanding.WithStatus(Record, status, reason, _clock.UtcNow));
        if (status != AgentStatus.Available)
        {
            WithdrawOffers();
        }
        await _queues.PublishAsync();
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
        var accepted = Book.Accept(conversationId, channel, queueId, _standing.Record?.Status == AgentStatus.Available, _clock.UtcNow);
        if (accepted == SlotBook.Acceptance.HeldAlready)
        {
            return View(); // accepted here already, by an earlier attempt
        }
        if (accepted == SlotBook.Acceptance.Refused)
        {
            return null;
        }
        _checks.Arm();
        _standing.Changed();
        if (accepted == SlotBook.Acceptance.TookFreshSlot)
        {
            _queues.PublishLoad(Availability()); // a late accept took a fresh slot
        }
        if (Record.MissedOffersInRow != 0)
        {
            await SaveAsync(Record with { MissedOffersInRow = 0 });
        }
        return View();
    }

    public Task ConnectedAsync(string conversationId, string channel, string queueId)
    {
        var (adopted, overCapacity) = Book.Confirmed(conversationId, channel, queueId, _clock.UtcNow);
        if (adopted)
        {
            // Activated afresh between the accept and its write: the conversation vouches that it holds this agent.
            // Offers this activation made since may no longer fit beside it: they go back, the agent keeps its capacity.
            if (overCapacity)
            {
                WithdrawOffers();
            }
            _standing.Changed();
            _queues.PublishLoad(Availability());
        }
        // Told again when said again (a retried accept): a client takes a repeat as a no-op.
        _desks.Accepted(conversationId, Book.AssignmentOf(conversationId)!.State);
        return Task.CompletedTask;
    }

    public Task AssignmentCheckAsync(long token) => _checks.DueAsync(token);

    public async Task AssignmentCheckedAsync(string conversationId, long check, ConversationState? state, string? holder)
    {
        if (_checks.Answered(conversationId, check, state, holder))
        {
            await _queues.PublishAsync();
        }
    }

    public async Task ReleaseOfferAsync(string conversationId, string answer)
    {
        // An offer, or an accept the conversation never wrote and has ended since: the desks hear it is over.
        if (Book.EndOffer(conversationId))
        {
            _desks.Tell(new OfferEnded(conversationId, answer));
        }
        if (_standing.Record is not { } record)
        {
            return;
        }
        var (next, wentAway) = MissedOffers.After(record, answer, _options.MissedOffersBeforeAway, _clock.UtcNow);
        if (next is not null)
        {
            await SaveAsync(next);
        }
        if (wentAway)
        {
            Log.AgentAwayAfterMissedOffers(_logger, _agentId, next!.MissedOffersInRow);
            WithdrawOffers();
        }
        _standing.Changed();
        await _queues.PublishAsync();
    }

    public Task BeginWrapUpAsync(string conversationId)
    {
        if (Book.BeginWrapUp(conversationId, _clock.UtcNow))
        {
            _desks.Tell(new AssignmentChanged(conversationId, ConversationState.WrapUp, null));
        }
        return Task.CompletedTask;
    }

    public async Task ReleaseAsync(string conversationId, ConversationState state, string? reason)
    {
        if (reason == "write-failed" && Book.AcceptNotWritten(conversationId))
        {
            // The accept was not written: on record and in memory the conversation is still offered to this agent, until its
            // deadline or a retried accept, so its offer keeps the slot. The desks' accept was refused; they may try again.
            _standing.Changed();
            await _queues.PublishAsync();
            return;
        }
        if (Book.Release(conversationId) is not var (wasOffer, wasUnconfirmed))
        {
            return;
        }
        // An assignment never announced (its write failed) is, to the clients, an offer that went away.
        _desks.Tell(
            wasUnconfirmed ? new OfferEnded(conversationId, reason ?? "lost") : new AssignmentChanged(conversationId, state, reason)
        );
        if (!wasOffer)
        {
            _standing.IdleFrom(_clock.UtcNow);
        }
        _standing.Changed();
        await _queues.PublishAsync();
    }

    public async Task WakeAsync()
    {
        if (_standing.Record?.Status == AgentStatus.Available)
        {
            await _queues.PublishAsync();
        }
    }

    public Task ConnectAsync(string connectionId, IRealtimeRelay relay)
    {
        _ = Record;
        return _desks.ConnectAsync(connectionId, relay);
    }

    public Task DisconnectAsync(string connectionId) => _desks.DisconnectAsync(connectionId);

    public Task RenewAsync(IReadOnlyList<string> connectionIds, IRealtimeRelay relay) => _desks.RenewAsync(connectionIds, relay);

    public Task NotifyAsync(AgentNotification notification) => _desks.NotifyAsync(notification);

    public Task<AgentSnapshot> GetSnapshotAsync() => Task.FromResult(_desks.Snapshot(View()));

    public async Task PresenceCheckAsync(long token)
    {
        if (_desks.PresenceCheck(token))
        {
            await SetStatusAsync(AgentStatus.Offline, "disconnected");
        }
    }

    private SlotReservation Reserve(ReserveSlot request, bool direct)
    {
        if (Book.HasOffer(request.ConversationId))
        {
            Book.Reserve(request, _clock.UtcNow); // asked again: the same slot, under the conversation's new deadline
            return new SlotReservation(true, null, Availability());
        }
        if (_standing.Reserve(request, direct, _clock.UtcNow) is { } refusal)
        {
            return new SlotReservation(false, refusal, Availability());
        }
        if (request.Notice is { } notice)
        {
            _desks.Tell(new OfferArrived(notice));
        }
        _standing.Changed();
        var availability = Availability();
        _queues.PublishLoad(availability);
        // The queue that asked hears the new availability in the answer; only the others need telling.
        _queues.Broadcast(availability, except: direct ? null : request.QueueId);
        return new SlotReservation(true, null, availability);
    }

    /// <summary>Every pending offer goes back to its conversation, and so back in line (docs/routing.md, rule 5).</summary>
    private void WithdrawOffers()
    {
        foreach (var conversationId in Book.WithdrawOffers())
        {
            _ = GrainFactory.ConversationCallbacks(_workspace, conversationId).OfferWithdrawnAsync(_agentId);
            _desks.Tell(new OfferEnded(conversationId, "withdrawn"));
        }
        _standing.Changed();
    }

    private async Task SaveAsync(AgentRecord next)
    {
        next = next with { UpdatedAt = _clock.UtcNow };
        await _ledger.SaveAgentAsync(_workspace, next);
        if (_standing.Saved(next))
        {
            var change = new AgentStatusChanged(next.UpdatedAt, _workspace, _agentId, next.Status, next.Reason);
            _events.Publish(change);
            _desks.StatusChanged(change);
        }
    }

    private AgentAvailability Availability() => _standing.Record is null ? throw Unknown() : _standing.Availability(_clock.UtcNow);

    private AgentView View() => _standing.Record is null ? throw Unknown() : _standing.View();

    /// <summary>Asked about an agent that does not exist: answer 404 and do not linger in memory.</summary>
    private RoutingException Unknown()
    {
        DeactivateOnIdle();
        return RoutingException.NotFound("agent", _agentId, "agentId");
    }
}
