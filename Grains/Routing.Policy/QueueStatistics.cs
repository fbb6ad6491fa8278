namespace Routing.Policy;

/// <summary>
/// The rolling counts and averages of one queue over the last <see cref="Window"/> (docs/routing.md, "Statistics"): offered,
/// connected, abandoned, service level, average speed of answer and average handle time; and of the queue's self-service
/// step, the chats it resolved (deflected) and those it passed to a person (escalated).
/// </summary>
/// <remarks>
/// Service level is the share answered within the target among those answered plus those abandoned after
/// the target: a customer who gave up before the target was neither served well nor badly.
/// </remarks>
public sealed class QueueStatistics
{
    private readonly Queue<(DateTimeOffset At, Outcome Kind, TimeSpan Duration)> _events = new();
    private int _offered;
    private int _connected;
    private int _abandoned;
    private int _completed;
    private int _deflected;
    private int _escalated;
    private int _answeredInTarget;
    private int _abandonedAfterTarget;
    private TimeSpan _totalWait;
    private TimeSpan _totalHandle;
    private ServiceLevelTarget _target;

    public QueueStatistics(ServiceLevelTarget target, TimeSpan window)
    {
        _target = target;
        Window = window;
    }

    private enum Outcome
    {
        Offered,
        Connected,
        Abandoned,
        Completed,
        Deflected,
        Escalated,
    }

    /// <summary>The service-level goal. Changing it judges the events still in the window by the new target.</summary>
    public ServiceLevelTarget Target
    {
        get => _target;
        set
        {
            if (value != _target)
            {
                _target = value;
                Recount();
            }
        }
    }
    public TimeSpan Window { get; }

    public void RecordOffered(DateTimeOffset at) => Add(at, Outcome.Offered, TimeSpan.Zero);

    public void RecordConnected(DateTimeOffset at, TimeSpan waited) => Add(at, Outcome.Connected, waited);

    public void RecordAbandoned(DateTimeOffset at, TimeSpan waited) => Add(at, Outcome.Abandoned, waited);

    public void RecordCompleted(DateTimeOffset at, TimeSpan handled) => Add(at, Outcome.Completed, handled);

    /// <summary>The self-service step ended: the customer took an answer (<paramref name="deflected"/>) or asked for a person.</summary>
    public void RecordSelfService(DateTimeOffset at, bool deflected) =>
        Add(at, deflected ? Outcome.Deflected : Outcome.Escalated, TimeSpan.Zero);

    public QueueStatisticsSnapshot Snapshot(DateTimeOffset now)
    {
        Prune(now);
        var denominator = _connected + _abandonedAfterTarget;
        return new QueueStatisticsSnapshot(
            _offered,
            _connected,
            _abandoned,
            _completed,
            denominator == 0 ? null : 100.0 * _answeredInTarget / denominator,
            _connected == 0 ? null : _totalWait / _connected,
            _completed == 0 ? null : _totalHandle / _completed,
            _deflected,
            _escalated
        );
    }

    private void Add(DateTimeOffset at, Outcome kind, TimeSpan duration)
    {
        // A span measured across a wall clock stepped back comes out negative: it counts as no time at all, so no
        // average goes below zero and no wait is judged by a time that never passed.
        duration = duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
        _events.Enqueue((at, kind, duration));
        Apply(kind, duration, +1);
        Prune(at);
    }

    private void Prune(DateTimeOffset now)
    {
        while (_events.TryPeek(out var oldest) && now - oldest.At > Window)
        {
            _events.Dequeue();
            Apply(oldest.Kind, oldest.Duration, -1);
        }
    }

    /// <summary>Rebuilds every figure from the events in the window, so that removing one later undoes exactly what adding it
    /// did.</summary>
    private void Recount()
    {
        (_offered, _connected, _abandoned, _completed, _answeredInTarget, _abandonedAfterTarget) = (0, 0, 0, 0, 0, 0);
        (_deflected, _escalated) = (0, 0);
        (_totalWait, _totalHandle) = (TimeSpan.Zero, TimeSpan.Zero);
        foreach (var (_, kind, duration) in _events)
        {
            Apply(kind, duration, +1);
        }
    }

    private void Apply(Outcome kind, TimeSpan duration, int sign)
    {
        switch (kind)
        {
            case Outcome.Offered:
                _offered += sign;
                break;
            case Outcome.Connected:
                _connected += sign;
                _totalWait += sign * duration;
                if (duration <= Target.Target)
                {
                    _answeredInTarget += sign;
                }
                break;
            case Outcome.Abandoned:
                _abandoned += sign;
                if (duration > Target.Target)
                {
                    _abandonedAfterTarget += sign;
                }
                break;
            case Outcome.Completed:
                _completed += sign;
                _totalHandle += sign * duration;
                break;
            case Outcome.Deflected:
                _deflected += sign;
                break;
            case Outcome.Escalated:
                _escalated += sign;
                break;
        }
    }
}

/// <summary>The rolling figures of a queue at one instant; averages are null until there is something to average.</summary>
public sealed record QueueStatisticsSnapshot(
    int Offered,
    int Connected,
    int Abandoned,
    int Completed,
    double? ServiceLevelPercent,
    TimeSpan? AverageSpeedOfAnswer,
    TimeSpan? AverageHandleTime,
    int Deflected = 0,
    int Escalated = 0
);
