using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Contracts.Realtime;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// One conversation: the authority on its state. Being non-reentrant, it handles one request at a time, so two
/// queues (its own and an overflow queue) offering it at once are served in turn and the second finds it no
/// longer waiting: a conversation is never offered to two agents. The grain is a shell: a handler asks the agent or the
/// queue what only they know (<see cref="IConversationCalls"/>), takes the step of <see cref="ConversationLifecycle"/>, a
/// pure function, has the <see cref="ConversationJournal"/> write it — in order, before anything is acknowledged — and
/// has <see cref="ConversationParties"/> tell the agent, the queues and the customers (<see cref="ConversationCustomers"/>).
/// <see cref="ConversationOffers"/> owns the one current offer, <see cref="ConversationCompletion"/> the end with its
/// wrap-up, <see cref="ConversationAlarms"/> the clocks of both. This file holds activation, creation and the customer's
/// side; <c>ConversationGrain.Handling.cs</c> the offer and what follows.
/// </summary>
public sealed partial class ConversationGrain : Grain, IConversationCallbacks, IIncomingGrainCallFilter
{
    private readonly RoutingClock _clock;
    private readonly RoutingOptions _options;
    private readonly string _conversationId;
    private readonly string _workspace;
    private readonly ILedger _ledger;
    private readonly ConversationJournal _journal;
    private readonly ConversationCalls _calls;
    private readonly ConversationAlarms _alarms;
    private readonly ConversationParties _parties;
    private readonly ConversationOffers _offers;
    private readonly ConversationCompletion _completion;
    private readonly ConversationSelfService _selfService;
    private readonly ConversationMonitors _monitors;
    private readonly ILogger _logger;
    private bool _loaded;

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
        // Orleans gives the grain its identity before the constructor runs, so the collaborators are made here, with its key.
        var key = this.GetPrimaryKeyString();
        (var workspace, _conversationId) = GrainKeys.Parse(key);
        (_workspace, _ledger) = (workspace, ledger);
        var expiry = TimeSpan.FromSeconds(connectionOptions.Value.ConnectionExpirySeconds);
        _monitors = new ConversationMonitors(key, _conversationId, clock, expiry, logger);
        _journal = new ConversationJournal(ledger, clock, events, logger, workspace, _conversationId, Changed);
        _calls = new ConversationCalls(GrainFactory, workspace, _conversationId, logger);
        _alarms = new ConversationAlarms(GrainFactory.Self<IConversationCallbacks>(this), clock, logger);
        _parties = new ConversationParties(_conversationId, _calls, new ConversationCustomers(key, clock, expiry, logger));
        _offers = new ConversationOffers(_conversationId, _journal, _calls, _parties, _alarms, clock, logger);
        _completion = new ConversationCompletion(_journal, _calls, _parties, _alarms, clock);
        _selfService = new ConversationSelfService(_journal, _calls, _parties, _options, clock, logger);
    }

    /// <summary>How long a retry with the same idempotency key answers the first result.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

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

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _alarms.Dispose();
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
        var arrival = ArrivalSequence.Next(now);
        var created = ConversationLifecycle.Create(_conversationId, request, arrival, now);
        Queues.Arrival arrived;
        try
        {
            arrived = await _calls.ArriveAsync(created.Next);
        }
        catch (RoutingException)
        {
            DeactivateOnIdle(); // no such queue, or it is full: nothing was created
            throw;
        }
        var message = string.IsNullOrEmpty(request.Message) ? null : new TranscriptMessage(1, now, "customer", null, request.Message);
        if (arrived.SelfService is not { } mode)
        {
            await _journal.CommitAsync(created, message, undo: () => _calls.RemoveAsync(request.QueueId));
            return _journal.View(arrived.Position);
        }
        // The queue gives the chat a self-service step first (docs/self-service.md): the bot takes the first message.
        created = ConversationLifecycle.Create(_conversationId, request, arrival, now, mode);
        await _journal.CommitAsync(created, message);
        var position = message is null ? null : await _selfService.CustomerWroteAsync(Current, message);
        return _journal.View(position);
    }

    /// <summary>The customer asks for a person from the self-service step: into the queue's line, waiting from now.</summary>
    public async Task<ConversationView> EscalateAsync() =>
        _journal.View(await _selfService.EscalateAsync(Current, SelfServiceStep.AskedForPerson));

    public Task<IReadOnlyList<Suggestion>> SuggestAsync(string text) => _selfService.SuggestAsync(Current, text);

    /// <summary>The customer takes an answer the bot gave as solving their question: resolved by self-service.</summary>
    public async Task<ConversationView> ResolveAsync(string articleId)
    {
        await _selfService.ResolveAsync(Current, articleId);
        return _journal.View(null);
    }

    public async Task<ConversationView> GetAsync()
    {
        await _journal.WrittenAsync(); // what is reported is on record
        var record = Current;
        return _journal.View(record.State == ConversationState.Queued ? await _calls.PositionAsync(record.QueueId) : null);
    }

    public Task WakeAsync() => Task.CompletedTask;

    public async Task ConnectCustomerAsync(string connectionId, IRealtimeRelay relay) =>
        await _parties.CustomerConnectedAsync(connectionId, relay, Current);

    public async Task DisconnectCustomerAsync(string connectionId)
    {
        if (await _parties.CustomerLeftAsync(connectionId, _journal.Record))
        {
            LetGoIfDone();
        }
    }

    public Task RenewCustomersAsync(IReadOnlyList<string> connectionIds, IRealtimeRelay relay) =>
        _journal.Record is { } record ? _parties.CustomersRenewedAsync(connectionIds, relay, record) : Task.CompletedTask;

    public async Task<CustomerSnapshot> GetCustomerSnapshotAsync(long lastSeen) =>
        await _parties.SnapshotAsync(Current, _journal.MessagesAfter(lastSeen), Supervision.Joined(_journal.Notes).LastOrDefault());

    public Task TypingAsync(string? agentId)
    {
        _parties.Typing(_journal.Record, agentId);
        return Task.CompletedTask;
    }

    public Task PositionChangedAsync(QueuePosition position)
    {
        _parties.PositionChanged(_journal.Record, position);
        return Task.CompletedTask;
    }

    /// <summary>A fresh activation takes up what the record says was under way when the one before it ended.</summary>
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
                await _offers.LostOnActivationAsync();
                break;
            case ConversationState.WrapUp:
                _completion.Resume(record);
                break;
            case ConversationState.Queued:
                await _parties.KeepInLineAsync(record);
                break;
        }
    }

    /// <summary>A write was made current: the supervisors monitoring hear it; an ended conversation may leave memory.</summary>
    private void Changed(ConversationJournal.Change change)
    {
        _monitors.Changed(change);
        LetGoIfDone();
    }

    /// <summary>
    /// An ended conversation nobody watches leaves memory once its call is done (docs/reliability.md, R8): at the peak
    /// thousands end every second, and kept until the runtime's idle collection they would hold memory in proportion
    /// to throughput times that age. All of it is in the ledger; a late read or rating activates it again from there.
    /// </summary>
    private void LetGoIfDone()
    {
        if (_journal.Record?.State.IsFinal() == true && !_parties.Watched)
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
}
