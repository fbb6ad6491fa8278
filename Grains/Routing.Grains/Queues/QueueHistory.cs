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

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<QueueTick> ToList()
    {
        var list = new List<QueueTick>(_count);
        for (var i = 0; i < _count; i++)
        {
            list.Add(_ticks[(_next - _count + i + Capacity) % Capacity]);
        }
        return list;
    }
}
