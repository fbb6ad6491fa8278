namespace Routing.Policy;

/// <summary>
/// docs/routing.md, rule 3, inside one queue: the highest effective priority first, where effective priority is the
/// base priority plus the aging rate times the seconds waited; ties go to the longest waiting (FIFO).
/// </summary>
/// <remarks>
/// Every conversation in a line ages at the same rate, so the order between two of them never changes with
/// time: <c>p1 + r(now - t1) &gt; p2 + r(now - t2)</c> exactly when <c>p1 - r t1 &gt; p2 - r t2</c>. The line can
/// therefore stay sorted by a key fixed at arrival, with no re-sorting as the clock runs.
/// </remarks>
public sealed class PriorityOrder : IComparer<WaitingConversation>
{
    public PriorityOrder(double agingPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agingPerSecond);
        AgingPerSecond = agingPerSecond;
    }

    public double AgingPerSecond { get; }

    public double EffectivePriority(WaitingConversation conversation, DateTimeOffset now) =>
        conversation.Priority + (AgingPerSecond * conversation.WaitedAt(now).TotalSeconds);

    /// <summary>The time-independent sort key: larger goes first.</summary>
    /// <remarks>To the tick, as <see cref="EffectivePriority"/> measures the wait: whole milliseconds would misorder
    /// two conversations whose effective priorities differ by less than the aging rate times one millisecond.</remarks>
    public double Key(WaitingConversation conversation) =>
        conversation.Priority - (AgingPerSecond * (conversation.WaitingSince - DateTimeOffset.UnixEpoch).TotalSeconds);

    public int Compare(WaitingConversation? x, WaitingConversation? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null)
        {
            return 1;
        }
        if (y is null)
        {
            return -1;
        }
        var byKey = Key(y).CompareTo(Key(x));
        if (byKey != 0)
        {
            return byKey;
        }
        var bySince = x.WaitingSince.CompareTo(y.WaitingSince);
        if (bySince != 0)
        {
            return bySince;
        }
        var byArrival = x.Arrival.CompareTo(y.Arrival);
        return byArrival != 0 ? byArrival : string.CompareOrdinal(x.Id, y.Id);
    }
}
