using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Routing.Contracts;
using Routing.Ledger;
using Routing.Policy;

namespace Routing.Grains.Queues;

/// <summary>
/// A queue: its line in priority order, a mirror of the agents that serve it, and the matching between them.
/// This file holds the lifecycle, the line and the figures; <c>QueueGrain.Matching.cs</c> the offers;
/// <c>QueueGrain.Realtime.cs</c> the once-a-second statistics and positions.
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
    private readonly RoutingOptions _options;
    private readonly ILogger<QueueGrain> _logger;
    private readonly RoutingEvents _events;

    // Working state, rebuilt from the ledger on activation.
    private readonly AgentMirror _agents = new();
    private readonly PriorityQueue<string, DateTimeOffset> _due = new();
    private readonly GrainAlarm _alarm;
    private readonly QueueStatistics _statistics;
    private readonly WaitEstimator _estimator;
    private QueueInfo? _info;
    private readonly QueueLine _line = new(new PriorityOrder(0));
    private Matcher _matcher = new(SelectionMethod.LongestIdle);
    private DateTimeOffset? _alarmAt;
    private long _generation;
    private string _workspace = "";
    private string _queueId = "";

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
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        _alarm = new GrainAlarm(clock, logger);
        _statistics = new QueueStatistics(ServiceLevelTarget.Default, TimeSpan.FromSeconds(_options.StatisticsWindowSeconds));
        _estimator = new WaitEstimator(TimeSpan.FromSeconds(_options.WaitEstimateWindowSeconds));
    }

    private QueueDefinition Definition => _info?.Definition ?? throw RoutingException.NotFound("queue", _queueId, "queueId");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_workspace, _queueId) = GrainKeys.Parse(this.GetPrimaryKeyString());
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
        _alarm.Dispose();
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
            MatchEverything();
        }
        return info;
    }

    public Task<QueueInfo?> GetAsync() => Task.FromResult(_info);

    public Task<QueuePosition> EnqueueAsync(QueueTicket ticket, bool isArrival)
    {
        var definition = Definition;
        var known = _line.TryGet(ticket.ConversationId, out var existing);
        if (!known && isArrival && definition.MaxLength is { } max && _line.HomeCount >= max)
        {
            throw new RoutingException(
                RoutingErrorKind.Overloaded,
                "queue-full",
                $"Queue '{_queueId}' holds its maximum of {max} waiting conversations; try again shortly.",
                "queueId"
            );
        }
        var entry = NewEntry(ticket, overflowedOut: known && existing.OverflowedOut);
        _line.Put(entry);
        CheckServable(entry);
        ScheduleTimeEvents(entry);
        TryOffer(entry);
        return Task.FromResult(PositionOf(entry));
    }

    public Task RemoveAsync(string conversationId)
    {
        if (_line.TryGet(conversationId, out var entry))
        {
            _line.Remove(conversationId);
            ForgetElsewhere(entry);
        }
        return Task.CompletedTask;
    }

    public Task<QueuePosition?> GetPositionAsync(string conversationId) =>
        Task.FromResult(_line.TryGet(conversationId, out var entry) ? PositionOf(entry) : null);

    public Task RecordConnectedAsync(TimeSpan waited)
    {
        var now = _clock.UtcNow;
        _statistics.RecordConnected(now, waited);
        _estimator.RecordAnswer(now);
        return Task.CompletedTask;
    }

    public Task RecordCompletedAsync(TimeSpan handled)
    {
        _statistics.RecordCompleted(_clock.UtcNow, handled);
        return Task.CompletedTask;
    }

    public Task RecordAbandonedAsync(TimeSpan waited)
    {
        _statistics.RecordAbandoned(_clock.UtcNow, waited);
        return Task.CompletedTask;
    }

    public Task<QueueStats> GetStatsAsync()
    {
        _ = Definition;
        var now = _clock.UtcNow;
        var figures = _statistics.Snapshot(now);
        var (available, busy, away, offline) = _agents.CountByStatus();
        // Waits as the matcher counts them, never negative: a wall clock stepped back puts creation times ahead of now.
        var longest = _line.Entries.Select(e => e.Waiting.WaitedAt(now)).DefaultIfEmpty(TimeSpan.Zero).Max();
        var estimate = _estimator.Estimate(_line.Count, _agents.Ready.Count > 0, now);
        return Task.FromResult(
            new QueueStats(
                _queueId,
                now,
                _line.Count,
                longest.TotalSeconds,
                _line.Entries.Count(e => e.Unservable is not null),
                available,
                busy,
                away,
                offline,
                figures.Offered,
                figures.Connected,
                figures.Abandoned,
                figures.Completed,
                figures.ServiceLevelPercent,
                figures.AverageSpeedOfAnswer?.TotalSeconds,
                figures.AverageHandleTime?.TotalSeconds,
                estimate?.TotalSeconds,
                _options.StatisticsWindowSeconds
            )
        );
    }

    public Task WakeAsync() => Task.CompletedTask;

    private void Apply(QueueInfo info)
    {
        var definition = info.Definition;
        var first = _info is null;
        _info = info;
        var method = SelectionMethods.Parse(definition.Selection);
        if (_matcher.Method != method || first)
        {
            _matcher = new Matcher(method) { LastPicked = _matcher.LastPicked };
            _agents.KeepInOrder(method);
        }
        if (_line.Order.AgingPerSecond != definition.AgingPerSecond)
        {
            _line.Reorder(new PriorityOrder(definition.AgingPerSecond));
        }
        _statistics.Target = new ServiceLevelTarget(
            TimeSpan.FromSeconds(definition.ServiceLevel.TargetSeconds),
            definition.ServiceLevel.Percent
        );
    }

    /// <summary>Rebuilds the agent mirror and the line from the ledger, then matches everything.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var agents = await _ledger.ListAgentsAsync(_workspace, cancellationToken);
        var active = await _ledger.ListActiveConversationsAsync(_workspace, cancellationToken);
        var held = active
            .Select(a => a.Item)
            .Where(c => c.AgentId is not null && c.State is ConversationState.Connected or ConversationState.WrapUp)
            .GroupBy(c => c.AgentId!, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyDictionary<string, int>)g.GroupBy(c => c.Channel).ToDictionary(c => c.Key, c => c.Count()),
                StringComparer.Ordinal
            );
        foreach (var (_, agent) in agents)
        {
            _agents.Apply(_queueId, AgentAvailabilityOf(agent, held.GetValueOrDefault(agent.AgentId)), out _);
        }
        foreach (var (_, conversation) in active)
        {
            if (conversation.QueueId == _queueId && conversation.State.IsWaiting() && !_line.TryGet(conversation.ConversationId, out _))
            {
                _line.Put(NewEntry(conversation.Ticket(), overflowedOut: false));
            }
        }
        MatchEverything();
    }

    private QueuePosition PositionOf(QueueEntry entry)
    {
        var ahead = _line.Ahead(entry.Id) ?? 0;
        var estimate = _estimator.Estimate(ahead, entry.Offering, _clock.UtcNow);
        return new QueuePosition(ahead, estimate?.TotalSeconds, entry.Unservable);
    }

    private void CheckServable(QueueEntry entry)
    {
        // An overflow copy is judged by its home queue; a queue that overflows may be served by the other queue's agents.
        if (entry.IsOverflowCopy || Definition.Overflow is not null)
        {
            entry.Unservable = null;
            return;
        }
        var servable = _agents.Candidates.Any(a => Eligibility.CouldEverServe(a, entry.Waiting));
        var reason = servable ? null : DescribeUnservable(entry);
        if (reason is not null && entry.Unservable is null)
        {
            Log.Unservable(_logger, entry.Id, _queueId, reason);
        }
        entry.Unservable = reason;
    }

    private string DescribeUnservable(QueueEntry entry)
    {
        var needs = entry.Waiting.Skills.Final.Requirements;
        var skills = needs.Count == 0 ? "no skills" : string.Join(", ", needs.Select(n => $"{n.Key}>={n.Value}"));
        return $"no agent serving queue '{_queueId}' can take a {entry.Ticket.Channel} conversation needing {skills}";
    }
}
