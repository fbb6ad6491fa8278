using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains.Agents;
using Routing.Grains.Queues;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// One conversation: the authority on its state. Being non-reentrant, it handles one request at a time, so two
/// queues (its own and an overflow queue) offering it at once are served in turn and the second finds it no
/// longer waiting: a conversation is never offered to two agents. What each command makes of the record is
/// <see cref="ConversationLifecycle"/>, a pure function; the record and its writing, in order and before anything is
/// acknowledged, are the <see cref="ConversationJournal"/>. The grain asks the agent and the queue what only they know,
/// has the journal write the step, then tells them and the customer. This file holds creation and the offer;
/// <c>ConversationGrain.Handling.cs</c> what follows; <c>ConversationGrain.Customers.cs</c> the customer's side.
/// </summary>
public sealed partial class ConversationGrain : Grain, IConversationCallbacks, IIncomingGrainCallFilter
{
    private readonly RoutingClock _clock;
    private readonly RoutingOptions _options;
    private readonly ILogger<ConversationGrain> _logger;
    private readonly string _workspace;
    private readonly string _conversationId;
    private readonly ConversationJournal _journal;
    private readonly GrainAlarm _offerAlarm;
    private readonly GrainAlarm _wrapUpAlarm;
    private readonly ConversationCustomers _customers;
    private string? _agentName;
    private bool _loaded;
    private QueueInfo? _queueDefinition;

    public ConversationGrain(
        ILedger ledger,
        RoutingClock clock,
        IOptions<RoutingOptions> options,
        IOptions<ConnectionOptions> connectionOptions,
        RoutingEvents events,
        ILogger<ConversationGrain> logger
    )
    {
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        (_workspace, _conversationId) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _journal = new ConversationJournal(ledger, clock, events, logger, _workspace, _conversationId, LetGoIfDone);
        _offerAlarm = new GrainAlarm(clock, logger);
        _wrapUpAlarm = new GrainAlarm(clock, logger);
        var expiry = TimeSpan.FromSeconds(connectionOptions.Value.ConnectionExpirySeconds);
        _customers = new ConversationCustomers(this.GetPrimaryKeyString(), clock, expiry, logger);
    }

    private ConversationRecord Current => _journal.Record ?? Unknown();

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
        if (!await _journal.LoadAsync())
        {
            return;
        }
        var record = Current;
        switch (record.State)
        {
            case ConversationState.Offered:
                // A fresh activation holds no offer: the one on record died with the old activation.
                Log.OfferLostOnActivation(_logger, _conversationId);
                await ReturnToLineAsync("offer-lost", exclude: null, answer: "lost", release: "withdrawn");
                break;
            case ConversationState.WrapUp:
                ArmWrapUp(record.WrapUpEndsAt ?? _clock.UtcNow);
                break;
            case ConversationState.Queued:
                // Its queue may have let go of it for an offer that died with the old activation before it was
                // written: back in line at its place. A queue that still holds it keeps it there.
                if (await Queue(record.QueueId).GetPositionAsync(_conversationId) is null)
                {
                    await Queue(record.QueueId).EnqueueAsync(record.Ticket(), isArrival: false);
                }
                break;
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _offerAlarm.Dispose();
        _wrapUpAlarm.Dispose();
        await _journal.WrittenAsync();
    }

    public async Task<ConversationView> StartAsync(StartConversation request)
    {
        if (request.RequestHash is not null && _journal.Record is null)
        {
            // Created under an idempotency key, its id is the key's (docs/reliability.md): it may exist from an earlier try.
            await LoadAsync();
        }
        if (_journal.Record is { } existing)
        {
            ConversationLifecycle.RequireReplay(existing, request.RequestHash, IdempotencyWindow, _clock.UtcNow);
            return (await GetAsync()) with { Replayed = true };
        }
        var now = _clock.UtcNow;
        var created = ConversationLifecycle.Create(_conversationId, request, ArrivalSequence.Next(now), now);
        var queue = Queue(request.QueueId);
        QueuePosition position;
        try
        {
            position = await queue.EnqueueAsync(created.Next.Ticket(), isArrival: true);
        }
        catch (RoutingException)
        {
            DeactivateOnIdle(); // no such queue, or it is full: nothing was created
            throw;
        }
        var message = string.IsNullOrEmpty(request.Message) ? null : new TranscriptMessage(1, now, "customer", null, request.Message);
        try
        {
            await _journal.CommitAsync(created, message);
        }
        catch
        {
            await queue.RemoveAsync(_conversationId);
            throw;
        }
        return _journal.View(position);
    }

    /// <summary>How long a retry with the same idempotency key answers the first result.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    public async Task<ConversationView> GetAsync()
    {
        await _journal.WrittenAsync(); // what is reported is on record
        var record = Current;
        var position = record.State == ConversationState.Queued ? await Queue(record.QueueId).GetPositionAsync(_conversationId) : null;
        return _journal.View(position);
    }

    public async Task<OfferAttempt> OfferToAsync(string agentId, string viaQueueId, int offerTimeoutSeconds)
    {
        if (_journal.Record is not { State: ConversationState.Queued } record)
        {
            return new OfferAttempt(OfferOutcome.NotWaiting, null);
        }
        var expiresAt = _clock.UtcNow.AddSeconds(offerTimeoutSeconds);
        var reservation = await Agent(agentId)
            .ReserveAsync(new ReserveSlot(_conversationId, record.Channel, viaQueueId, expiresAt, NoticeOf(record, viaQueueId, expiresAt)));
        if (!reservation.Reserved)
        {
            return new OfferAttempt(OfferOutcome.AgentRefused, reservation.Agent);
        }
        var home = record.QueueId;
        Offered(record, agentId, expiresAt, viaQueueId, viaQueueId == home ? null : "overflow");
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
    /// it, so an offer the API has reported is on record; one that dies with its silo before that is still in the
    /// timeline's next write, or the conversation is simply back in line.
    /// </summary>
    private void Offered(ConversationRecord record, string agentId, DateTimeOffset expiresAt, string viaQueueId, string? reason)
    {
        var step = ConversationLifecycle.Offer(record, agentId, expiresAt, viaQueueId, reason, _clock.UtcNow);
        var self = GrainFactory.Self<IConversationCallbacks>(this);
        _offerAlarm.Set(expiresAt, token => self.OfferExpiredAsync(token)); // the clock runs before anyone hears of the offer
        _journal.WriteOffer(step);
    }

    /// <summary>
    /// An ended conversation nobody watches leaves memory once its call is done (docs/reliability.md, R8): at the peak
    /// thousands end every second, and kept until the runtime's idle collection they would hold memory in proportion
    /// to throughput times that age. All of it is in the ledger; a late read or rating activates it again from there.
    /// </summary>
    private void LetGoIfDone()
    {
        if (_journal.Record?.State.IsFinal() == true && !_customers.Watched)
        {
            DeactivateOnIdle();
        }
    }

    /// <summary>Asked about a conversation that does not exist: answer 404 and do not linger in memory.</summary>
    private ConversationRecord Unknown()
    {
        DeactivateOnIdle();
        throw RoutingException.NotFound("conversation", _conversationId);
    }

    private OfferNotice NoticeOf(ConversationRecord r, string queueId, DateTimeOffset expiresAt) =>
        new(_conversationId, r.Channel, queueId, r.Customer.Name, r.Customer.Tier, r.Skills, r.CreatedAt, expiresAt);

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
