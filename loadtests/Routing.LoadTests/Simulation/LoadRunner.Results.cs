using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace Routing.LoadTests.Simulation;

/// <summary>Progress once a second while running, and the figures and verdicts at the end.</summary>
public sealed partial class LoadRunner
{
    private async Task TickEverySecondAsync(long started, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var t = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var arrivals = scenario.Arrivals.ArrivedBy(t) - scenario.Arrivals.ArrivedBy(Math.Max(0, t - 1));
            var second = _timeline.Tick(t, arrivals, target.SampleServer());
            var p99 = _timeline.EnqueueToOffer.TotalCount == 0 ? 0 : _timeline.EnqueueToOffer.GetValueAtPercentile(99) / 1000.0;
            progress.WriteLine(
                $"[{target.Name}] {t, 5:0}s  target {second.TargetRate, 7:0}/s  created {second.CreatedPerSecond, 6}/s  offered "
                    + $"{second.OfferedPerSecond, 6}/s  "
                    + $"connected {second.ConnectedPerSecond, 6}/s  refused {second.RefusedPerSecond, 6}/s  backlog {second.Backlog, 7} "
                    + $" p99 offer {p99, 7:0.0} ms (this second {second.OfferP99Ms ?? 0, 7:0.0})"
                    + (second.ServerCpuCores is { } cpu ? $"  cpu {cpu:0.00}" : "")
                    + (Interlocked.Read(ref _timeline.Errors) is > 0 and var errors ? $"  ERRORS {errors}" : "")
                    + $"  threads {ThreadPool.ThreadCount} queued {ThreadPool.PendingWorkItemCount} gc "
                    + $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} pause "
                    + $"{GC.GetTotalPauseDuration().TotalSeconds:0.0}s"
            );
            if (!_generating && _drained.Task.IsCompleted)
            {
                return;
            }
        }
    }

    private RunResult Result(bool drained, TimeSpan duration, ConversationCost? cost, int confirmedDoubleOffers)
    {
        var seconds = _timeline.Seconds;
        var t = _timeline;
        var violations = _violations.Concat(target.ServerSideViolations()).Distinct().Take(50).ToList();
        var lost = drained ? 0 : Interlocked.Read(ref t.Created) - Interlocked.Read(ref _ended);
        if (lost > 0)
        {
            violations.Add(
                $"{lost} conversations did not end (Completed, Abandoned or Resolved) within {DrainLimit.TotalSeconds} s of the last "
                    + "arrival"
            );
        }
        var curve = scenario.Arrivals;
        var peakEnd = curve.MidnightSeconds + curve.PeakSeconds;
        var beforeMidnight = seconds.Where(s => s.Elapsed <= curve.MidnightSeconds).Select(s => s.Backlog).DefaultIfEmpty(0).Max();
        var drainedAt = seconds.FirstOrDefault(s => s.Elapsed > peakEnd && s.Backlog <= Math.Max(beforeMidnight, 10))?.Elapsed;
        // Sustained: the best average over five consecutive seconds.
        var sustained =
            seconds.Count < 5
                ? seconds.Select(s => s.ConnectedPerSecond).DefaultIfEmpty(0).Max()
                : Enumerable.Range(0, seconds.Count - 4).Max(i => (long)seconds.Skip(i).Take(5).Average(s => s.ConnectedPerSecond));
        // Throughput held under the step: its mean once the step has settled (3 s in) against the mean of the second half
        // of the time before midnight. Meaningful when the base rate already offers the node about what it can do (the
        // overload preset).
        double? stepRatio = null;
        if (curve.PeakMultiplier > 1 && curve.PeakSeconds >= 6 && curve.WarmupSeconds >= 6)
        {
            var before = seconds
                .Where(s => s.Elapsed > curve.WarmupSeconds / 2 && s.Elapsed <= curve.WarmupSeconds)
                .Select(s => (double)s.ConnectedPerSecond)
                .DefaultIfEmpty(0)
                .Average();
            var during = seconds
                .Where(s => s.Elapsed > curve.MidnightSeconds + 3 && s.Elapsed <= peakEnd)
                .Select(s => (double)s.ConnectedPerSecond)
                .DefaultIfEmpty(0)
                .Average();
            stepRatio = before > 0 ? during / before : null;
        }
        return new RunResult(
            target.Name,
            scenario,
            duration.TotalSeconds,
            Interlocked.Read(ref t.Created),
            Interlocked.Read(ref t.Offered),
            Interlocked.Read(ref t.Connected),
            Interlocked.Read(ref t.Completed),
            Interlocked.Read(ref t.Abandoned),
            Interlocked.Read(ref t.Declined),
            Interlocked.Read(ref t.TimedOut),
            Interlocked.Read(ref t.Errors),
            Interlocked.Read(ref t.Calls),
            Interlocked.Read(ref t.Refused),
            _errors
                .OrderByDescending(e => e.Value)
                .Select(e => e.Value == 1 ? e.Key : string.Create(CultureInfo.InvariantCulture, $"{e.Key} (×{e.Value:N0})"))
                .ToList(),
            Latency.Of(t.EnqueueToOffer),
            Latency.Of(t.OfferToConnected),
            ServiceLevelPercent: (t.Connected + t.AbandonedAfterTarget) == 0
                ? null
                : 100.0 * t.ConnectedWithinTarget / (t.Connected + t.AbandonedAfterTarget),
            AbandonedPercent: t.Entered == 0 ? 0 : 100.0 * t.Abandoned / t.Entered,
            SustainedConnectedPerSecond: sustained,
            PeakDrainSeconds: curve.PeakSeconds <= 0 ? null
                : drainedAt is { } at ? at - peakEnd
                : null,
            PeakSeconds: curve.PeakSeconds,
            StepThroughputRatio: stepRatio,
            WarmupSeconds: warmup.TotalSeconds,
            ServerCpuCoresAverage: seconds
                .Where(s => s.ServerCpuCores is not null)
                .Select(s => s.ServerCpuCores!.Value)
                .DefaultIfEmpty(0)
                .Average(),
            ServerMemoryMbMax: seconds
                .Where(s => s.ServerMemoryMb is not null)
                .Select(s => s.ServerMemoryMb!.Value)
                .DefaultIfEmpty(0)
                .Max(),
            Violations: violations,
            SuspectedDoubleOffers: _conversations.Values.Count(c => c.Suspect),
            ConfirmedDoubleOffers: confirmedDoubleOffers,
            Cost: cost,
            Seconds: seconds
        )
        {
            SelfService =
                scenario.SelfServiceShare <= 0
                    ? null
                    : new SelfServiceFigures(
                        scenario.SelfServiceShare,
                        target.SelfService,
                        Interlocked.Read(ref t.Arrivals),
                        Interlocked.Read(ref t.SelfServed),
                        Interlocked.Read(ref t.Deflected),
                        Interlocked.Read(ref t.Escalated),
                        Interlocked.Read(ref t.EscalatedAtOnce),
                        Interlocked.Read(ref t.LeftStep),
                        Interlocked.Read(ref t.LeftToSelfService),
                        Interlocked.Read(ref t.Entered)
                    ),
        };
    }
}

/// <summary>Percentiles of one latency over a run, in milliseconds.</summary>
public sealed record Latency(long Count, double P50, double P95, double P99, double Max)
{
    public static Latency Of(LongHistogram h) =>
        h.TotalCount == 0
            ? new Latency(0, 0, 0, 0, 0)
            : new Latency(
                h.TotalCount,
                h.GetValueAtPercentile(50) / 1000.0,
                h.GetValueAtPercentile(95) / 1000.0,
                h.GetValueAtPercentile(99) / 1000.0,
                h.GetMaxValue() / 1000.0
            );
}

/// <summary>Everything one run of one target measured, and the invariants it broke (none, one hopes).</summary>
public sealed record RunResult(
    string Target,
    Scenarios.Scenario Scenario,
    double DurationSeconds,
    long Created,
    long Offered,
    long Connected,
    long Completed,
    long Abandoned,
    long Declined,
    long TimedOut,
    long Errors,
    long Calls,
    long Refused,
    IReadOnlyList<string> ErrorSamples,
    Latency EnqueueToOffer,
    Latency OfferToConnected,
    double? ServiceLevelPercent,
    double AbandonedPercent,
    long SustainedConnectedPerSecond,
    double? PeakDrainSeconds,
    double PeakSeconds,
    double? StepThroughputRatio,
    double WarmupSeconds,
    double ServerCpuCoresAverage,
    double ServerMemoryMbMax,
    IReadOnlyList<string> Violations,
    int SuspectedDoubleOffers,
    int ConfirmedDoubleOffers,
    ConversationCost? Cost,
    IReadOnlyList<SecondFigures> Seconds
)
{
    /// <summary>How many silos served the run (end to end through a cluster the tool started; 1 otherwise).</summary>
    public int Silos { get; init; } = 1;

    /// <summary>What the self-service step absorbed and what it left the human queues; null when the scenario has no share.</summary>
    public SelfServiceFigures? SelfService { get; init; }

    /// <summary>The auditor's replay of the server's ledger after the run; null when the tool could not reach it.</summary>
    public Audit.AuditReport? Audit { get; init; }

    /// <summary>The share of calls that failed above which a run fails, whatever else it held: 0.1 %.</summary>
    public const double MaxFailedShare = 0.001;

    /// <summary>Failed calls as a share of all calls made (a refusal at the door is an answer, not a failure).</summary>
    public double FailedShare => Calls == 0 ? 0 : (double)Errors / Calls;

    public bool Passed => Violations.Count == 0 && FailedShare <= MaxFailedShare;
}

/// <summary>
/// The self-service step over a run (docs/self-service.md). <see cref="InTarget"/>: the target ran the step; a baseline
/// did not, and was given only the <see cref="Escalated"/> arrivals, after the customer's time in the step, leaving out the
/// <see cref="LeftToSelfService"/> it would have resolved. <see cref="EnteredLine"/>: conversations the human queues saw,
/// the arrivals without the step (email) and the escalations; their figures (offers, waits, service level, abandons)
/// count from their entry into the line.
/// </summary>
public sealed record SelfServiceFigures(
    double Share,
    bool InTarget,
    long Arrivals,
    long SelfServed,
    long Deflected,
    long Escalated,
    long EscalatedAtOnce,
    long LeftStep,
    long LeftToSelfService,
    long EnteredLine
)
{
    /// <summary>Resolved in the step ÷ conversations that took it.</summary>
    public double? DeflectionRate => SelfServed == 0 ? null : (double)Deflected / SelfServed;
}
