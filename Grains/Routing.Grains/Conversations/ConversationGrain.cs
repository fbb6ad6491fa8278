using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains.Agents;
using Routing.Grains.Queues;
using Routing.Grains.Realtime;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// One conversation: the authority on its state. Being non-reentrant, it handles one request at a time, so two
/// queues (its own and an overflow queue) offering it at once are served in turn and the second finds it no
/// longer waiting: a conversation is never offered to two agents. Every change is written to the ledger before
/// it is acknowledged. What each command makes of the record is <see cref="ConversationLifecycle"/>, a pure function;
/// the grain asks the agent and the queue what only they know, writes the step, then tells them and the customer.
/// This file holds creation and the offer; <c>ConversationGrain.Handling.cs</c> what follows;
/// <c>ConversationGrain.Customers.cs</c> the customer's realtime connections.
/// </summary>
public sealed partial class ConversationGrain : Grain, IConversationCallbacks, IIncomingGrainCallFilter
{
    private readonly ILedger _ledger;
    private readonly RoutingClock _clock;
    private readonly RoutingOptions _options;
    private readonly ConnectionOptions _connectionOptions;
    private readonly ILogger<ConversationGrain> _logger;
    private readonly RoutingEvents _events;

    // The durable record (its timeline and transcript kept apart, as they only grow) and transient alarms.
    private readonly List<ConversationTransition> _timeline = [];
    private readonly List<TranscriptMessage> _transcript = [];
    private readonly List<ConversationTransition> _unwritten = [];
    private Task _offerWritten = Task.CompletedTask;
    private readonly GrainAlarm _offerAlarm;
    private readonly GrainAlarm _wrapUpAlarm;
    private readonly ConnectionSet _customers;
    private ConversationRecord? _record;
    private string? _agentName;
    private bool _loaded;
    private QueueInfo? _queueDefinition;
    private string _workspace = "";
    private string _conversationId = "";

    public ConversationGrain(
        ILedger ledger,
        RoutingClock clock,
        IOptions<RoutingOptions> options,
        IOptions<ConnectionOptions> connectionOptions,
        RoutingEvents events,
        ILogger<ConversationGrain> logger
    )
    {
        _events = events;
        _ledger = ledger;
        _clock = clock;
        _options = options.Value;
        _connectionOptions = connectionOptions.Value;
        _logger = logger;
        _offerAlarm = new GrainAlarm(clock, logger);
        _wrapUpAlarm = new GrainAlarm(clock, logger);
        _customers = new ConnectionSet(logger);
    }

    private ConversationRecord Current => _record ?? Unknown();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_workspace, _conversationId) = GrainKeys.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <summary>
    /// Loads the conversation from the ledger before the first call of an activation — except when that call is
    /// <see cref="StartAsync"/>: a new conversation has nothing to load, and its id is minted by the API (a
    /// version-7 GUID) for this one conversation, so the read every creation would otherwise cost is skipped.
    /// </summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (!_loaded)
        {
            _loaded = true;
            if (context.ImplementationMethod.Name != nameof(StartAsync))
            {
                await LoadAsync();
            }
        }
        await context.Invoke();
    }

    private async Task LoadAsync()
    {
        var stored = await _ledger.GetConversationAsync(_workspace, _conversationId);
        if (stored is null)
        {
            return;
        }
        _timeline.AddRange(stored.Timeline);
        _transcript.AddRange(stored.Transcript);
        _record = stored with { Timeline = [], Transcript = [] };
        switch (_record.State)
        {
            case ConversationState.Offered:
                // A fresh activation holds no offer: the one on record died with the old activation.
                Log.OfferLostOnActivation(_logger, _conversationId);
                await ReturnToLineAsync("offer-lost", exclude: null, answer: "lost", release: "withdrawn");
                break;
            case ConversationState.WrapUp:
                ArmWrapUp(_record.WrapUpEndsAt ?? _clock.UtcNow);
                break;
            case ConversationState.Queued:
                // Its queue may have let go of it for an offer that died with the old activation before it was
                // written: back in line at its place. A queue that still holds it keeps it there.
                if (await Queue(_record.QueueId).GetPositionAsync(_conversationId) is null)
                {
                    await Queue(_record.QueueId).EnqueueAsync(TicketOf(_record), isArrival: false);
                }
                break;
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _offerAlarm.Dispose();
        _wrapUpAlarm.Dispose();
        await OfferWrittenAsync();
    }

    public async Task<ConversationView> StartAsync(StartConversation request)
    {
        if (request.RequestHash is not null && _record is null)
        {
            // Created under an idempotency key, its id is the key's (docs/reliability.md): it may exist from an earlier try.
            await LoadAsync();
        }
        if (_record is not null)
        {
            return await ReplayAsync(request);
        }
        var now = _clock.UtcNow;
        var created = ConversationLifecycle.Create(_conversationId, request, ArrivalSequence.Next(now), now);
        var record = created.Next;
        var queue = Queue(request.QueueId);
        QueuePosition position;
        try
        {
            position = await queue.EnqueueAsync(TicketOf(record), isArrival: true);
        }
        catch (RoutingException)
        {
            DeactivateOnIdle(); // no such queue, or it is full: nothing was created
            throw;
        }
        var message = string.IsNullOrEmpty(request.Message) ? null : new TranscriptMessage(1, now, "customer", null, request.Message);
        try
        {
            await CommitAsync(created, message);
        }
        catch
        {
            await queue.RemoveAsync(_conversationId);
            throw;
        }
        return View(position);
    }

    /// <summary>
    /// A create for a conversation that exists: the retry of an idempotent create gets the first one's answer; the same
    /// key with another request, or after <see cref="IdempotencyWindow"/>, is refused (422) and changes nothing.
    /// </summary>
    private async Task<ConversationView> ReplayAsync(StartConversation request)
    {
        var record = Current;
        if (request.RequestHash is null || record.RequestHash is null)
        {
            throw RoutingException.Conflict("conversation-exists", $"Conversation '{_conversationId}' already exists.", "id");
        }
        if (request.RequestHash != record.RequestHash)
        {
            throw new RoutingException(
                RoutingErrorKind.Unprocessable,
                "idempotency-key-reused",
                "This Idempotency-Key was used for a different request; use a new key for a new conversation.",
                "Idempotency-Key"
            );
        }
        if (_clock.UtcNow - record.CreatedAt > IdempotencyWindow)
        {
            throw new RoutingException(
                RoutingErrorKind.Unprocessable,
                "idempotency-key-expired",
                $"This Idempotency-Key is older than {IdempotencyWindow.TotalHours:0} hours; use a new key for a new conversation.",
                "Idempotency-Key"
            );
        }
        return (await GetAsync()) with { Replayed = true };
    }

    /// <summary>How long a retry with the same idempotency key answers the first result.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    public async Task<ConversationView> GetAsync()
    {
        await OfferWrittenAsync(); // what is reported is on record
        var record = Current;
        var position = record.State == ConversationState.Queued ? await Queue(record.QueueId).GetPositionAsync(_conversationId) : null;
        return View(position);
    }

    public async Task<OfferAttempt> OfferToAsync(string agentId, string viaQueueId, int offerTimeoutSeconds)
    {
        if (_record?.State != ConversationState.Queued)
        {
            return new OfferAttempt(OfferOutcome.NotWaiting, null);
        }
        var expiresAt = _clock.UtcNow.AddSeconds(offerTimeoutSeconds);
        var reservation = await Agent(agentId)
            .ReserveAsync(
                new ReserveSlot(_conversationId, _record.Channel, viaQueueId, expiresAt, NoticeOf(_record, viaQueueId, expiresAt))
            );
        if (!reservation.Reserved)
        {
            return new OfferAttempt(OfferOutcome.AgentRefused, reservation.Agent);
        }
        var home = _record.QueueId;
        Offered(_record, agentId, expiresAt, viaQueueId, viaQueueId == home ? null : "overflow");
        if (viaQueueId != home)
        {
            await Queue(home).RemoveAsync(_conversationId); // offered through an overflow queue: its home line lets go now
        }
        return new OfferAttempt(OfferOutcome.Offered, reservation.Agent);
    }

    /// <summary>
    /// The agent's slot is reserved: record the offer and start its clock. The offer is written at once but not
    /// waited for here (docs/reliability.md, "Every transition on record"): the queue's matching goes on while the
    /// ledger's group commit takes it with other grains' writes. What answers with the conversation's state waits for
    /// it (<see cref="OfferWrittenAsync"/>), so an offer the API has reported is on record; one that dies with its silo
    /// before that is still in the timeline's next write, or the conversation is simply back in line.
    /// </summary>
    private void Offered(ConversationRecord record, string agentId, DateTimeOffset expiresAt, string viaQueueId, string? reason)
    {
        var step = ConversationLifecycle.Offer(record, agentId, expiresAt, viaQueueId, reason, _clock.UtcNow);
        _unwritten.AddRange(step.Transitions);
        var self = GrainFactory.Self<IConversationCallbacks>(this);
        _offerAlarm.Set(expiresAt, token => self.OfferExpiredAsync(token)); // the clock runs before anyone hears of the offer
        Apply(step.Next, null, step.Transitions);
        _offerWritten = WriteOfferAsync(_offerWritten);
    }

    /// <summary>
    /// Writes an offer after any write still in flight; on success its transitions are no longer owed, on failure
    /// they stay owed and ride with the next write. Never throws: nobody awaits it for an answer of its own.
    /// </summary>
    private async Task WriteOfferAsync(Task before)
    {
        await before;
        // Taken after the write before it settled, so nothing is written twice; no other write starts meanwhile, as
        // every write first waits for this one.
        var owed = _unwritten.Count;
        try
        {
            await _ledger.SaveConversationAsync(_workspace, new ConversationChange(Current, [.. _unwritten], [], PreviousWritten()));
            _unwritten.RemoveRange(0, owed);
        }
        catch (Exception e)
        {
            Log.OfferWriteFailed(_logger, e, _conversationId);
        }
    }

    /// <summary>Waits until every offer made so far is written (or has failed and is owed by the next write).</summary>
    private Task OfferWrittenAsync() => _offerWritten;

    /// <summary>The last transition already written: the one before those still owed.</summary>
    private ConversationTransition? PreviousWritten() => _timeline.Count > _unwritten.Count ? _timeline[^(_unwritten.Count + 1)] : null;

    /// <summary>Writes a step of the lifecycle (and any transition not yet written), then makes it current.</summary>
    private Task CommitAsync(ConversationLifecycle.Step step, TranscriptMessage? message = null) =>
        CommitAsync(step.Next, message, [.. step.Transitions]);

    /// <summary>Writes the next record with what it appends (and any transition not yet written), then makes it current.</summary>
    private async Task CommitAsync(ConversationRecord next, TranscriptMessage? message, params ConversationTransition[] transitions)
    {
        await OfferWrittenAsync(); // one write at a time, in order: an offer in flight goes first
        next = next with { UpdatedAt = _clock.UtcNow };
        // The transitions not yet written are the timeline's tail; the one before them is the last written.
        await _ledger.SaveConversationAsync(
            _workspace,
            new ConversationChange(next, [.. _unwritten, .. transitions], message is null ? [] : [message], PreviousWritten())
        );
        _unwritten.Clear();
        Apply(next, message, transitions);
    }

    private void Apply(ConversationRecord next, TranscriptMessage? message, IReadOnlyList<ConversationTransition> transitions)
    {
        _record = next;
        _timeline.AddRange(transitions);
        if (message is not null)
        {
            _transcript.Add(message);
        }
        foreach (var t in transitions)
        {
            _events.Publish(
                new ConversationStateChanged(
                    t.At,
                    _workspace,
                    _conversationId,
                    t.State,
                    t.AgentId,
                    t.QueueId ?? next.QueueId,
                    t.Reason,
                    next.Channel,
                    SpanClosedBy(t, next)
                )
            );
        }
        LetGoIfDone();
    }

    /// <summary>
    /// An ended conversation nobody watches leaves memory once its call is done (docs/reliability.md, R8): at the peak
    /// thousands end every second, and kept until the runtime's idle collection they would hold memory in proportion
    /// to throughput times that age. All of it is in the ledger; a late read or rating activates it again from there.
    /// </summary>
    private void LetGoIfDone()
    {
        if (_record?.State.IsFinal() == true && _customers.Count == 0)
        {
            DeactivateOnIdle();
        }
    }

    /// <summary>The span a transition closes, for the metrics (see <see cref="ConversationStateChanged.Seconds"/>).</summary>
    private double? SpanClosedBy(ConversationTransition t, ConversationRecord next)
    {
        var transferred = _timeline.Any(x => x.Reason == "transferred" && x.At <= t.At);
        var since = t.State switch
        {
            // After a transfer the wait since creation includes the first agent's talk: not a customer's wait.
            ConversationState.Offered or ConversationState.Connected when transferred => (DateTimeOffset?)null,
            ConversationState.Offered or ConversationState.Connected or ConversationState.Abandoned => next.CreatedAt,
            ConversationState.WrapUp => next.ConnectedAt ?? _record?.ConnectedAt,
            ConversationState.Completed => _timeline.LastOrDefault(x => x.State == ConversationState.WrapUp)?.At,
            _ => null,
        };
        return since is { } s ? Math.Max(0, (t.At - s).TotalSeconds) : null;
    }

    /// <summary>Asked about a conversation that does not exist: answer 404 and do not linger in memory.</summary>
    private ConversationRecord Unknown()
    {
        DeactivateOnIdle();
        throw RoutingException.NotFound("conversation", _conversationId);
    }

    private ConversationView View(QueuePosition? position)
    {
        var r = Current;
        return new ConversationView(
            r.ConversationId,
            r.State,
            r.Channel,
            r.QueueId,
            r.Customer,
            r.Priority,
            r.Skills,
            r.Attributes,
            r.AgentId,
            r.CreatedAt,
            position,
            _timeline.ToList(),
            r.Offers,
            _transcript.ToList(),
            r.Disposition,
            r.Rating
        );
    }

    private OfferNotice NoticeOf(ConversationRecord r, string queueId, DateTimeOffset expiresAt) =>
        new(_conversationId, r.Channel, queueId, r.Customer.Name, r.Customer.Tier, r.Skills, r.CreatedAt, expiresAt);

    private static QueueTicket TicketOf(ConversationRecord r) => r.Ticket();

    /// <summary>The definition of the conversation's queue, fetched once per activation (and again after a transfer).</summary>
    private async Task<QueueDefinition?> QueueDefinitionAsync(string queueId)
    {
        if (_queueDefinition?.QueueId != queueId)
        {
            _queueDefinition = await Queue(queueId).GetAsync();
        }
        return _queueDefinition?.Definition;
    }

    private IQueueCallbacks Queue(string queueId) => GrainFactory.QueueCallbacks(_workspace, queueId);

    private IAgentCallbacks Agent(string agentId) => GrainFactory.AgentCallbacks(_workspace, agentId);
}
