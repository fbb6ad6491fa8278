using Routing.Contracts;
using Routing.Policy;

namespace Routing.Grains.Queues;

/// <summary>
/// A queue's live figures (docs/routing.md, "Live, per queue"): what became of its conversations over the statistics window,
/// its answer rate for estimated waits (rule 7), and from them and the line and the mirror that <see cref="QueueMatching"/>
/// keeps, what the queue answers about itself — its statistics, a conversation's place, the supervisors' view of the line.
/// In memory only: they start afresh when the queue is activated again. Pure: every figure is taken at the time given.
/// </summary>
internal sealed class QueueFigures(RoutingOptions options)
{
    private readonly QueueStatistics _statistics = new(ServiceLevelTarget.Default, TimeSpan.FromSeconds(options.StatisticsWindowSeconds));
    private readonly WaitEstimator _estimator = new(TimeSpan.FromSeconds(options.WaitEstimateWindowSeconds));

    /// <summary>The queue's service level target, as its definition says: it judges the events still in the window too.</summary>
    public void Target(ServiceLevelGoal goal) =>
        _statistics.Target = new ServiceLevelTarget(TimeSpan.FromSeconds(goal.TargetSeconds), goal.Percent);

    public void Offered(DateTimeOffset at) => _statistics.RecordOffered(at);

    /// <summary>The queue's business hours (null: always open): closed time is neither promised as a wait nor charged to the
    /// service level (docs/routing.md, "Business hours").</summary>
    public BusinessHours? Hours
    {
        get => _hours;
        set => (_hours, _opening) = (value, default);
    }

    private BusinessHours? _hours;

    // The opening as of the last instant asked about: a tick asks once per watched conversation, all at the same instant,
    // and the next opening may be days of spans ahead — worked out once per instant, not once per customer.
    private (DateTimeOffset At, bool Closed, DateTimeOffset? OpensAt) _opening;

    /// <summary>Whether the queue is closed at <paramref name="now"/> by its hours, and if so when it next opens.</summary>
    private (bool Closed, DateTimeOffset? OpensAt) Opening(DateTimeOffset now)
    {
        if (_hours is not { } hours)
        {
            return (false, null);
        }
        if (_opening.At != now)
        {
            var closed = !hours.IsOpen(now);
            _opening = (now, closed, closed ? hours.NextOpening(now) : null);
        }
        return (_opening.Closed, _opening.OpensAt);
    }

    /// <summary>A conversation was connected after waiting <paramref name="waited"/>: an answer, for the estimates too.</summary>
    public void Connected(DateTimeOffset at, TimeSpan waited)
    {
        _statistics.RecordConnected(at, Open(at, waited));
        _estimator.RecordAnswer(at);
    }

    public void Completed(DateTimeOffset at, TimeSpan handled) => _statistics.RecordCompleted(at, handled);

    public void Abandoned(DateTimeOffset at, TimeSpan waited) => _statistics.RecordAbandoned(at, Open(at, waited));

    /// <summary>Of a wait that ended at <paramref name="at"/>, the time the queue was open.</summary>
    private TimeSpan Open(DateTimeOffset at, TimeSpan waited) =>
        Hours is { } hours && waited > TimeSpan.Zero ? hours.OpenTimeBetween(at - waited, at) : waited;

    public void SelfService(DateTimeOffset at, bool deflected) => _statistics.RecordSelfService(at, deflected);

    /// <summary>
    /// Where <paramref name="entry"/> stands in <paramref name="line"/>, and how long it may still wait: the same figure the
    /// queue pushes each second (<see cref="Position"/>), so a widget's snapshot and its pushes agree.
    /// </summary>
    public QueuePosition PositionOf(QueueLine line, QueueEntry entry, bool agentReady, DateTimeOffset now)
    {
        var ahead = line.Ahead(entry.Id) ?? 0;
        return Position(ahead, entry.Offering || (agentReady && ahead == 0), entry.Unservable, now);
    }

    /// <summary>
    /// A place <paramref name="ahead"/> conversations back in line: the estimated wait to the whole second, and while the
    /// queue is closed, its opening — nobody is answered before it, so the wait runs to it first and the line's estimate
    /// (open time) is added (docs/routing.md, "Business hours").
    /// </summary>
    public QueuePosition Position(int ahead, bool agentReadyNow, string? unservable, DateTimeOffset now)
    {
        var estimate = _estimator.Estimate(ahead, agentReadyNow, now)?.TotalSeconds;
        var (closed, opensAt) = Opening(now);
        if (closed)
        {
            estimate = opensAt is { } at ? (at - now).TotalSeconds + (estimate ?? 0) : null;
        }
        return new QueuePosition(ahead, estimate is { } e ? Math.Round(e) : null, unservable, opensAt);
    }

    /// <summary>The queue's statistics at <paramref name="now"/>, with its line and its agents as they are.</summary>
    public QueueStats Of(string queueId, QueueLine line, AgentMirror agents, DateTimeOffset now)
    {
        var figures = _statistics.Snapshot(now);
        var (available, busy, away, offline) = agents.CountByStatus();
        // Waits as the matcher counts them, never negative: a wall clock stepped back puts creation times ahead of now.
        var longest = line.Entries.Select(e => e.Waiting.WaitedAt(now)).DefaultIfEmpty(TimeSpan.Zero).Max();
        var estimate = _estimator.Estimate(line.Count, agents.Ready.Count > 0, now);
        return new QueueStats(
            queueId,
            now,
            line.Count,
            longest.TotalSeconds,
            line.Entries.Count(e => e.Unservable is not null),
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
            options.StatisticsWindowSeconds,
            figures.Deflected,
            figures.Escalated,
            Opening(now).Closed
        );
    }

    /// <summary>
    /// The supervisors' view of the line: the conversations being offered, then the waiting ones best first, at most
    /// <paramref name="limit"/>, each with the step of its skill requirements in force at <paramref name="now"/>.
    /// </summary>
    public static IReadOnlyList<WaitingView> Waiting(QueueLine line, int limit, DateTimeOffset now)
    {
        var offering = line.Entries.Where(e => e.Offering);
        var waiting = line.InOrder.Select(w => line.TryGet(w.Id, out var entry) ? entry : null).OfType<QueueEntry>();
        return offering
            .Concat(waiting)
            .Take(limit)
            .Select(e =>
            {
                var plan = e.Waiting.Skills;
                var step = plan.Steps.Count == 0 ? 0 : Math.Max(0, plan.Steps.ToList().IndexOf(plan.StepAt(now - e.Ticket.WaitingSince)));
                return new WaitingView(
                    e.Id,
                    e.Ticket.Channel,
                    e.Ticket.CustomerName,
                    e.Ticket.Tier,
                    e.Ticket.Priority,
                    e.Ticket.WaitingSince,
                    e.Ticket.Skills,
                    step,
                    e.Ticket.ExcludedAgents,
                    e.Unservable,
                    e.Offering
                );
            })
            .ToList();
    }
}
