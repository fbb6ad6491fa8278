using HdrHistogram;

namespace Routing.LoadTests.Simulation;

/// <summary>
/// The run's figures second by second — counts of what happened, the backlog, latency percentiles of the
/// second — and over the whole run, in HdrHistograms (microseconds).
/// </summary>
public sealed class Timeline
{
    private readonly object _gate = new();
    private readonly List<SecondFigures> _seconds = [];
    private LongHistogram _offerSecond = NewHistogram();

    public LongHistogram EnqueueToOffer { get; } = NewHistogram();

    public LongHistogram OfferToConnected { get; } = NewHistogram();

    public IReadOnlyList<SecondFigures> Seconds
    {
        get
        {
            lock (_gate)
            {
                return _seconds.ToList();
            }
        }
    }

    public long Arrivals;
    public long Created;

    /// <summary>Created into the self-service step; of them, resolved there, escalated by the customer, escalated at once by the
    /// step (no good answer), left in the step.</summary>
    public long SelfServed;
    public long Deflected;
    public long Escalated;
    public long EscalatedAtOnce;
    public long LeftStep;

    /// <summary>A baseline's: arrivals the self-service step would have resolved, never sent to it.</summary>
    public long LeftToSelfService;

    /// <summary>Conversations that entered a human queue's line: those created into it, and those escalated into it.</summary>
    public long Entered;
    public long Offered;
    public long FirstOffered;
    public long Connected;
    public long Completed;
    public long Abandoned;
    public long AbandonedBeforeOffer;
    public long Declined;
    public long TimedOut;
    public long ConnectedWithinTarget;
    public long AbandonedAfterTarget;
    public long Errors;
    public long Refused;
    public long Calls;

    public static LongHistogram NewHistogram() => new(TimeSpan.FromMinutes(10).Ticks / 10, 3);

    public void RecordEnqueueToOffer(long microseconds)
    {
        lock (_gate)
        {
            EnqueueToOffer.RecordValue(Math.Max(0, microseconds));
            _offerSecond.RecordValue(Math.Max(0, microseconds));
        }
    }

    public void RecordOfferToConnected(long microseconds)
    {
        lock (_gate)
        {
            OfferToConnected.RecordValue(Math.Max(0, microseconds));
        }
    }

    /// <summary>Closes one second: the counters' values now, and that second's latency, then starts the next.</summary>
    public SecondFigures Tick(double elapsedSeconds, double targetRate, ServerSample? server)
    {
        lock (_gate)
        {
            var previous = _seconds.Count > 0 ? _seconds[^1] : null;
            var figures = new SecondFigures(
                elapsedSeconds,
                targetRate,
                Interlocked.Read(ref Created),
                Interlocked.Read(ref Offered),
                Interlocked.Read(ref Connected),
                Interlocked.Read(ref Completed),
                Interlocked.Read(ref Abandoned),
                Backlog: Interlocked.Read(ref Entered) - Interlocked.Read(ref FirstOffered) - Interlocked.Read(ref AbandonedBeforeOffer),
                Refused: Interlocked.Read(ref Refused),
                OfferP99Ms: _offerSecond.TotalCount == 0 ? null : _offerSecond.GetValueAtPercentile(99) / 1000.0,
                OfferMaxMs: _offerSecond.TotalCount == 0 ? null : _offerSecond.GetMaxValue() / 1000.0,
                ServerCpuSeconds: server?.CpuTime.TotalSeconds,
                ServerMemoryMb: server is null ? null : server.WorkingSetBytes / 1024.0 / 1024.0,
                Previous: previous
            );
            _seconds.Add(figures);
            _offerSecond = NewHistogram();
            return figures;
        }
    }
}

/// <summary>Cumulative counts at the end of one second of the run, with the rates since the second before.</summary>
public sealed record SecondFigures(
    double Elapsed,
    double TargetRate,
    long Created,
    long Offered,
    long Connected,
    long Completed,
    long Abandoned,
    long Backlog,
    long Refused,
    double? OfferP99Ms,
    double? OfferMaxMs,
    double? ServerCpuSeconds,
    double? ServerMemoryMb,
    [property: System.Text.Json.Serialization.JsonIgnore] SecondFigures? Previous
)
{
    public long CreatedPerSecond => Created - (Previous?.Created ?? 0);

    public long OfferedPerSecond => Offered - (Previous?.Offered ?? 0);

    public long ConnectedPerSecond => Connected - (Previous?.Connected ?? 0);

    public long RefusedPerSecond => Refused - (Previous?.Refused ?? 0);

    /// <summary>Share of one core the server used this second (1 = one core busy).</summary>
    public double? ServerCpuCores => ServerCpuSeconds is { } now && Previous?.ServerCpuSeconds is { } before ? now - before : null;
}
