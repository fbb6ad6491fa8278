using Routing.Contracts;

namespace Routing.Grains.Queues;

/// <summary>
/// The last hour of a queue's once-a-second figures, in a ring: what the supervisors' charts show, sent to a
/// dashboard when it connects so a page reload keeps its charts. In memory only, like the live figures.
/// </summary>
internal sealed class QueueHistory
{
    public const int Capacity = 3600;

    private readonly QueueTick[] _ticks = new QueueTick[Capacity];
    private int _next;
    private int _count;

    public void Add(QueueStats stats)
    {
        _ticks[_next] = new QueueTick(stats.At, stats.Waiting, stats.LongestWaitSeconds, stats.ServiceLevelPercent);
        _next = (_next + 1) % Capacity;
        _count = Math.Min(_count + 1, Capacity);
    }

    /// <summary>Oldest first, every second.</summary>
    public IReadOnlyList<QueueTick> ToList() => ToList(1);

    /// <summary>
    /// Oldest first, one tick per <paramref name="seconds"/>-tick step, at its last second: the step's most waiting and longest wait,
    /// and its last service level — what a dashboard draws over an hour without receiving 3,600 points per queue.
    /// </summary>
    public IReadOnlyList<QueueTick> ToList(int seconds)
    {
        var list = new List<QueueTick>(_count / seconds + 1);
        for (var start = 0; start < _count; start += seconds)
        {
            QueueTick? step = null;
            for (var i = start; i < Math.Min(start + seconds, _count); i++)
            {
                var tick = _ticks[(_next - _count + i + Capacity) % Capacity];
                step = step is null
                    ? tick
                    : tick with
                    {
                        Waiting = Math.Max(step.Waiting, tick.Waiting),
                        LongestWaitSeconds = Math.Max(step.LongestWaitSeconds, tick.LongestWaitSeconds),
                    };
            }
            list.Add(step!);
        }
        return list;
    }
}
