using System.Collections.Immutable;
using Routing.Policy;

namespace Routing.Grains.Queues;

/// <summary>
/// The waiting line of one queue: entries by id, and the waiting ones (not being offered) sorted by
/// <see cref="PriorityOrder"/> in a balanced tree that also knows each one's rank, so a conversation's place in
/// line costs O(log n), not a walk of the line (which made every arrival O(n) under a backlog). The waiting
/// ones are also kept per channel, so an agent with room on one channel only looks at that channel's line.
/// </summary>
internal sealed class QueueLine
{
    private readonly Dictionary<string, QueueEntry> _entries = new(StringComparer.Ordinal);
    private readonly ImmutableSortedSet<WaitingConversation>.Builder _waiting;
    private readonly Dictionary<string, SortedSet<WaitingConversation>> _byChannel = new(StringComparer.Ordinal);

    public QueueLine(PriorityOrder order)
    {
        Order = order;
        _waiting = ImmutableSortedSet.CreateBuilder(order);
    }

    public PriorityOrder Order { get; private set; }

    /// <summary>Entries waiting or being offered.</summary>
    public int Count => _entries.Count;

    /// <summary>Entries whose home is this queue (not overflow copies): what the maximum length limits.</summary>
    public int HomeCount { get; private set; }

    public IEnumerable<QueueEntry> Entries => _entries.Values;

    /// <summary>The waiting conversations, best first.</summary>
    public IEnumerable<WaitingConversation> InOrder => _waiting;

    /// <summary>
    /// The waiting conversations on the channels <paramref name="hasRoom"/> accepts (asked once per channel, up
    /// front), best first: the line an agent with room on those channels would scan, without the others.
    /// </summary>
    public IEnumerable<WaitingConversation> InOrderOn(Func<string, bool> hasRoom)
    {
        var lines = new List<IEnumerator<WaitingConversation>>(_byChannel.Count);
        foreach (var (channel, line) in _byChannel)
        {
            if (line.Count > 0 && hasRoom(channel))
            {
                var cursor = line.GetEnumerator();
                cursor.MoveNext();
                lines.Add(cursor);
            }
        }
        while (lines.Count > 0)
        {
            var best = 0;
            for (var i = 1; i < lines.Count; i++)
            {
                if (Order.Compare(lines[i].Current, lines[best].Current) < 0)
                {
                    best = i;
                }
            }
            yield return lines[best].Current;
            if (!lines[best].MoveNext())
            {
                lines.RemoveAt(best);
            }
        }
    }

    public bool TryGet(string id, out QueueEntry entry) => _entries.TryGetValue(id, out entry!);

    /// <summary>Adds or replaces the entry for a conversation; it waits in line.</summary>
    public void Put(QueueEntry entry)
    {
        Remove(entry.Id);
        _entries[entry.Id] = entry;
        Wait(entry.Waiting);
        HomeCount += entry.IsOverflowCopy ? 0 : 1;
    }

    public bool Remove(string id)
    {
        if (!_entries.Remove(id, out var entry))
        {
            return false;
        }
        StopWaiting(entry.Waiting);
        HomeCount -= entry.IsOverflowCopy ? 0 : 1;
        return true;
    }

    /// <summary>Takes the entry out of the sorted line while an offer is attempted.</summary>
    public void MarkOffering(QueueEntry entry)
    {
        entry.Offering = true;
        StopWaiting(entry.Waiting);
    }

    /// <summary>Puts an entry whose offer attempt failed back in its place.</summary>
    public void ReturnToLine(QueueEntry entry)
    {
        entry.Offering = false;
        Wait(entry.Waiting);
    }

    /// <summary>How many waiting conversations are ahead of this one; null if it is not waiting here.</summary>
    public int? Ahead(string id)
    {
        if (!_entries.TryGetValue(id, out var entry))
        {
            return null;
        }
        if (entry.Offering)
        {
            return 0;
        }
        var index = _waiting.IndexOf(entry.Waiting);
        return index >= 0 ? index : null;
    }

    /// <summary>The queue's aging rate changed: re-sort under the new order.</summary>
    public void Reorder(PriorityOrder order)
    {
        Order = order;
        _waiting.KeyComparer = order;
        foreach (var channel in _byChannel.Keys.ToList())
        {
            _byChannel[channel] = new SortedSet<WaitingConversation>(_byChannel[channel], order);
        }
    }

    private void Wait(WaitingConversation waiting)
    {
        _waiting.Add(waiting);
        if (!_byChannel.TryGetValue(waiting.Channel, out var line))
        {
            _byChannel[waiting.Channel] = line = new SortedSet<WaitingConversation>(Order);
        }
        line.Add(waiting);
    }

    private void StopWaiting(WaitingConversation waiting)
    {
        _waiting.Remove(waiting);
        if (_byChannel.TryGetValue(waiting.Channel, out var line))
        {
            line.Remove(waiting);
        }
    }
}
