using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Ledger;
using Routing.Policy;

namespace Routing.Grains.Queues;

/// <summary>
/// A queue (docs/architecture.md, "The grains"): a shell that loads its definition and line from the ledger and hands each
/// call to what owns the state it concerns — <see cref="QueueMatching"/> the line, the mirror of the agents and who gets
/// what; <see cref="QueueOffers"/> the offers made from that, their answers and retries, overflow and the line's changes
/// with time, through <see cref="MatchingCalls"/>; <see cref="QueueFigures"/> the live statistics and estimates;
/// <see cref="QueueFeed"/> (<c>QueueGrain.Realtime.cs</c>) what is pushed once a second.
/// </summary>
/// <remarks>
/// [Reentrant] because offers are made by awaiting conversation grains, which await agent grains, which call
/// their queues: a non-reentrant queue would deadlock on that cycle. It is safe because every handler changes
/// the line and the mirror synchronously, before any await, and the only code that awaits (an offer attempt)
/// re-reads the entry afterwards and ignores its answer if the entry has been replaced in the meantime.
/// </remarks>
[Reentrant]
public sealed partial class QueueGrain : Grain, IQueueCallbacks
{
    private readonly ILedger _ledger;
    private readonly RoutingClock _clock;
    private readonly RoutingEvents _events;
    private readonly string _workspace;
    private readonly string _queueId;

    // Working state, rebuilt from the ledger on activation.
    private readonly MatchingCalls _calls;
    private readonly QueueFigures _figures;
    private readonly QueueMatching _matching;
    private readonly QueueOffers _offers;
    private readonly QueueFeed _feed;
    private readonly LineCheck _lineCheck = new();
    private readonly TimeSpan _lineCheckEvery;
    private readonly TimeSpan _selfServiceIdle;
    private readonly ILogger _logger;
    private QueueInfo? _info;

    public QueueGrain(
        ILedger ledger,
        RoutingClock clock,
        IOptions<RoutingOptions> options,
        RoutingEvents events,
        ILogger<QueueGrain> logger
    )
    {
        _events = events;
        _ledger = ledger;
        _logger = logger;
        _lineCheckEvery = TimeSpan.FromSeconds(options.Value.LineCheckSeconds);
        _selfServiceIdle = TimeSpan.FromSeconds(options.Value.SelfServiceIdleSeconds);
        _clock = clock;
        // Orleans gives the grain its identity before the constructor runs, so the collaborators are made here, with its key.
        (_workspace, _queueId) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _calls = new MatchingCalls(GrainFactory, _workspace, _queueId, GrainFactory.Self<IQueueCallbacks>(this), clock, logger);
        _figures = new QueueFigures(options.Value);
        _matching = new QueueMatching(_queueId, logger);
        _offers = new QueueOffers(_matching, _figures, _calls, clock);
        _feed = new QueueFeed(GrainFactory, () => this.GetStreamProvider(RealtimeStreams.Provider), _workspace, _queueId, events, logger);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var info = await _ledger.GetQueueAsync(_workspace, _queueId, cancellationToken);
        if (info is not null)
        {
            Apply(info);
            await LoadAsync(cancellationToken);
            StartTicker();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _calls.Dispose();
        if (_info is not null)
        {
            _events.Publish(new QueueFiguresChanged(_clock.UtcNow, _workspace, _queueId, null)); // its gauges leave this silo
        }
        return Task.CompletedTask;
    }

    public async Task<QueueInfo> DefineAsync(QueueDefinition definition)
    {
        if (definition.Overflow?.QueueId == _queueId)
        {
            throw RoutingException.Invalid("overflow.queueId", "A queue cannot overflow into itself.");
        }
        if (!SelectionMethods.TryParse(definition.Selection, out _))
        {
            throw RoutingException.Invalid(
                "selection",
                $"'selection' must be one of {string.Join(", ", SelectionMethods.Names)}.",
                "unknown-selection"
            );
        }
        QueueHoursPlan.Build(definition.Hours); // refused before anything is written
        var info = new QueueInfo(_queueId, definition, _clock.UtcNow);
        await _ledger.SaveQueueAsync(_workspace, info);
        var first = _info is null;
        Apply(info);
        if (first)
        {
            await LoadAsync(CancellationToken.None);
            StartTicker();
        }
        else
        {
            _offers.MatchEverything();
        }
        return info;
    }

    public Task<QueueInfo?> GetAsync() => Task.FromResult(_info);

    public Task<QueueOpening> GetOpeningAsync()
    {
        _ = _matching.Definition; // a queue never defined is not found
        var now = _clock.UtcNow;
        return Task.FromResult(
            _matching.Hours is { } hours && !hours.IsOpen(now)
                ? new QueueOpening(false, hours.NextOpening(now))
                : new QueueOpening(true, null)
        );
    }

    public Task<QueuePosition> EnqueueAsync(QueueTicket ticket, bool isArrival)
    {
        var entry = _offers.Enter(ticket, isArrival);
        return Task.FromResult(_figures.PositionOf(_matching.Line, entry, _matching.Agents.Ready.Count > 0, _clock.UtcNow));
    }

    public Task<Arrival> ArriveAsync(QueueTicket ticket)
    {
        var now = _clock.UtcNow;
        var mode = _matching.Definition.SelfService;
        if (_matching.ClosedAt(now) && ticket.Channel != QueueHoursPlan.LeaveAMessageChannel && mode == SelfServiceModes.Off)
        {
            // Outside business hours a conversation that wants a person now is refused; a message is taken for the opening.
            var opensAt = _matching.Hours!.NextOpening(now);
            throw RoutingException.Conflict(
                "queue-closed",
                $"Queue '{_queueId}' is closed"
                    + (opensAt is { } at ? $"; it opens at {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC." : ".")
                    + " Leave a message (the email channel) for the next opening.",
                "queueId"
            );
        }
        if (mode != SelfServiceModes.Off && SelfServiceModes.AppliesTo(ticket.Channel))
        {
            return Task.FromResult(new Arrival(null, mode));
        }
        var entry = _offers.Enter(ticket, isArrival: true);
        return Task.FromResult(
            new Arrival(_figures.PositionOf(_matching.Line, entry, _matching.Agents.Ready.Count > 0, _clock.UtcNow), null)
        );
    }

    public Task RemoveAsync(string conversationId)
    {
        _offers.Remove(conversationId);
        return Task.CompletedTask;
    }

    public Task<QueuePosition?> GetPositionAsync(string conversationId) =>
        Task.FromResult(
            _matching.Line.TryGet(conversationId, out var entry)
                ? _figures.PositionOf(_matching.Line, entry, _matching.Agents.Ready.Count > 0, _clock.UtcNow)
                : null
        );

    public Task<IReadOnlyList<string>> AgentReadyAsync(AgentAvailability agent) => Task.FromResult(_offers.AgentChanged(agent));

    public Task AgentChangedAsync(AgentAvailability agent)
    {
        _offers.AgentChanged(agent);
        return Task.CompletedTask;
    }

    public Task TickAsync()
    {
        _offers.Tick();
        return Task.CompletedTask;
    }

    public Task WakeAsync() => Task.CompletedTask;

    public Task RecordConnectedAsync(TimeSpan waited)
    {
        _figures.Connected(_clock.UtcNow, waited);
        return Task.CompletedTask;
    }

    public Task RecordCompletedAsync(TimeSpan handled)
    {
        _figures.Completed(_clock.UtcNow, handled);
        return Task.CompletedTask;
    }

    public Task RecordSelfServiceAsync(bool deflected)
    {
        _figures.SelfService(_clock.UtcNow, deflected);
        return Task.CompletedTask;
    }

    public Task RecordAbandonedAsync(TimeSpan waited)
    {
        _figures.Abandoned(_clock.UtcNow, waited);
        return Task.CompletedTask;
    }

    public Task<QueueStats> GetStatsAsync()
    {
        _ = _matching.Definition;
        return Task.FromResult(Stats());
    }

    private QueueStats Stats() => _figures.Of(_queueId, _matching.Line, _matching.Agents, _clock.UtcNow);

    private void Apply(QueueInfo info)
    {
        _info = info;
        _matching.Define(info.Definition);
        _figures.Target(info.Definition.ServiceLevel);
        _matching.Hours = _figures.Hours = Hours(info.Definition);
    }

    /// <summary>The definition's business hours; hours stored that this machine cannot read (its time-zone data lacks the
    /// zone) leave the queue always open, said in the log, rather than the queue unable to start.</summary>
    private BusinessHours? Hours(QueueDefinition definition)
    {
        try
        {
            return QueueHoursPlan.Build(definition.Hours);
        }
        catch (RoutingException e)
        {
            Log.HoursUnreadable(_logger, e, _queueId);
            return null;
        }
    }

    public Task<IReadOnlyList<string>> CheckLineAsync() => CheckLineAsync(CancellationToken.None);

    /// <summary>
    /// Puts back in line the conversations waiting here on record that the line has missed twice running
    /// (<see cref="LineCheck"/>), and ends the ones left idle in the self-service step (docs/self-service.md). It reads
    /// the workspace's active conversations, as activation does, once per <c>Routing:LineCheckSeconds</c>.
    /// </summary>
    private async Task<IReadOnlyList<string>> CheckLineAsync(CancellationToken cancellationToken)
    {
        if (_info is null)
        {
            return [];
        }
        var active = await _ledger.ListActiveConversationsAsync(_workspace, cancellationToken);
        var missing = _lineCheck.Missing(QueueReload.Queued(_queueId, active), id => _matching.Line.TryGet(id, out _));
        foreach (var ticket in missing)
        {
            Log.PutBackInLine(_logger, ticket.ConversationId, _queueId);
            _offers.Enter(ticket, isArrival: false);
        }
        // Several at a time, on the grain's own scheduler, so a slow one does not hold the next check back; each
        // conversation re-checks its own record first.
        foreach (var batch in QueueReload.IdleInSelfService(_queueId, active, _clock.UtcNow - _selfServiceIdle).Chunk(16))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.WhenAll(batch.Select(EndIfIdleAsync));
        }
        return missing.Select(t => t.ConversationId).ToList();
    }

    private async Task EndIfIdleAsync(string conversationId)
    {
        try
        {
            await GrainFactory.ConversationCallbacks(_workspace, conversationId).EndIfIdleAsync();
        }
        catch (Exception e)
        {
            Log.SelfServiceIdleFailed(_logger, e, _queueId, conversationId);
        }
    }

    /// <summary>Rebuilds the agent mirror and the line from the ledger, then matches everything.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var agents = await _ledger.ListAgentsAsync(_workspace, cancellationToken);
        var active = await _ledger.ListActiveConversationsAsync(_workspace, cancellationToken);
        _matching.Load(QueueReload.Agents(agents, active), QueueReload.Waiting(_queueId, active));
        _offers.MatchEverything();
    }
}
