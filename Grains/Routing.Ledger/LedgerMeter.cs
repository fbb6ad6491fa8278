using System.Diagnostics.Metrics;

namespace Routing.Ledger;

/// <summary>
/// The ledger's own measures, as a .NET meter (exported at <c>/metrics</c> with every other meter): writes that
/// failed — an alert, since a failed write is an answer the API could not give. Observed when collected, so the
/// metric is there (at 0) from the start.
/// </summary>
internal static class LedgerMeter
{
    public const string Name = "Routing.Ledger";

    private static readonly Meter Meter = new(Name);
    private static long _failedWrites;

    static LedgerMeter() =>
        Meter.CreateObservableCounter("writes.failed", () => Interlocked.Read(ref _failedWrites), description: "Ledger writes that failed (their batch was rolled back).");

    public static void WritesFailed(int count) => Interlocked.Add(ref _failedWrites, count);

    /// <summary>Makes sure the meter exists before anything fails.</summary>
    public static void Touch()
    {
    }
}
