using System.Diagnostics.Metrics;

namespace Routing.Ledger;

/// <summary>
/// The ledger's own measures, as a .NET meter (exported at <c>/metrics</c> with every other meter): writes
/// committed and the transactions they were committed in — each transaction waits on one flush to disk (SQLite's
/// WAL fsync, PostgreSQL's WAL flush), so the load tool reports both per conversation — and writes that failed (an
/// alert, since a failed write is an answer the API could not give). Observed when collected, so each metric is
/// there (at 0) from the start.
/// </summary>
public static class LedgerMeter
{
    public const string Name = "Routing.Ledger";

    private static readonly Meter Meter = new(Name);
    private static long _writes;
    private static long _commits;
    private static long _failedWrites;

    static LedgerMeter()
    {
        Meter.CreateObservableCounter(
            "writes",
            () => Writes,
            description: "Ledger writes committed (a conversation's change, an agent's, a queue's)."
        );
        Meter.CreateObservableCounter(
            "commits",
            () => Commits,
            description: "Ledger transactions committed; each waits on one flush of the log to disk."
        );
        Meter.CreateObservableCounter(
            "writes.failed",
            () => Interlocked.Read(ref _failedWrites),
            description: "Ledger writes that failed (their batch was rolled back, or the writer refused the write alone)."
        );
    }

    /// <summary>Writes committed since the process started, by every ledger in it.</summary>
    public static long Writes => Interlocked.Read(ref _writes);

    /// <summary>Transactions committed since the process started (one flush to disk each).</summary>
    public static long Commits => Interlocked.Read(ref _commits);

    internal static void Committed(int writes)
    {
        Interlocked.Add(ref _writes, writes);
        Interlocked.Increment(ref _commits);
    }

    internal static void WritesFailed(int count) => Interlocked.Add(ref _failedWrites, count);

    /// <summary>Makes sure the meter exists before anything is written.</summary>
    internal static void Touch() { }
}
