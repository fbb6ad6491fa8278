using Routing.Contracts;

namespace Routing.Grains.Queues;

/// <summary>
/// The conversations of a queue whose customer is watching their place in line, and what each was last told: once a second
/// the queue works out every watched conversation's position and estimated wait and tells only those whose figures changed
/// (docs/routing.md, rule 7; docs/realtime.md, "How a push crosses silos"). Transient, and pure: the telling is the caller's.
/// </summary>
internal sealed class PositionWatchers
{
    // What each watched conversation was last told: null before its first push.
    private readonly Dictionary<string, QueuePosition?> _told = new(StringComparer.Ordinal);

    public int Count => _told.Count;

    /// <summary>A customer is (or is no longer) watching the conversation; watching again keeps what it was told.</summary>
    public void Watch(string conversationId, bool watching)
    {
        if (watching)
        {
            _told.TryAdd(conversationId, null);
        }
        else
        {
            _told.Remove(conversationId);
        }
    }

    /// <summary>
    /// One pass over <paramref name="line"/> gives every watched conversation its place; <paramref name="tell"/> gets those
    /// whose place, estimate (to the second) or reason it cannot be served changed since they were last told. A watched
    /// conversation not waiting in the line (being offered, or gone) is told nothing.
    /// </summary>
    public void Push(QueueLine line, bool agentReady, QueueFigures figures, DateTimeOffset now, Action<string, QueuePosition> tell)
    {
        if (_told.Count == 0)
        {
            return;
        }
        var ahead = 0;
        foreach (var waiting in line.InOrder)
        {
            if (_told.TryGetValue(waiting.Id, out var told))
            {
                var position = figures.Position(
                    ahead,
                    agentReady && ahead == 0,
                    line.TryGet(waiting.Id, out var entry) ? entry.Unservable : null,
                    now
                );
                if (position != told)
                {
                    _told[waiting.Id] = position;
                    tell(waiting.Id, position);
                }
            }
            ahead++;
        }
    }
}
