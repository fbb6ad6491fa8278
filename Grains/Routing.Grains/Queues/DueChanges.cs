using Routing.Contracts;

namespace Routing.Grains.Queues;

/// <summary>
/// When a queue's line next changes by itself — a skill step relaxes, an overflow wait passes, a failed offer or overflow
/// is tried again — and the one alarm that wakes the queue for the earliest of them: matching runs at the exact instant
/// a conversation becomes eligible for more agents, not at the next poll (docs/routing.md, rule 6). Pure: it only says
/// when to set the alarm; <see cref="QueueMatching"/> sets it. A time is kept until it is due even if its entry has left
/// the line meanwhile: the queue looks the entry up when the time comes.
/// </summary>
internal sealed class DueChanges
{
    private readonly PriorityQueue<string, DateTimeOffset> _due = new();

    /// <summary>When the alarm set is due, or null when none is set (none yet, or it rang and was not set again).</summary>
    public DateTimeOffset? AlarmAt { get; private set; }

    /// <summary>The times kept, due or not.</summary>
    public int Count => _due.Count;

    /// <summary>
    /// When <paramref name="entry"/>'s eligibility next changes by itself, as it stands at <paramref name="now"/>: its next
    /// skill step (docs/routing.md, rule 2), or its overflow under <paramref name="overflow"/> if that comes first
    /// (docs/conversations.md, "Overflow") — which an overflow copy, or an entry already overflowed, does not wait for; an
    /// overflow not yet made is due at its time even if that has passed. Null when nothing is left to change.
    /// </summary>
    public static DateTimeOffset? NextChangeAt(QueueEntry entry, OverflowRule? overflow, DateTimeOffset now)
    {
        var waited = entry.Waiting.WaitedAt(now);
        DateTimeOffset? next = entry.Waiting.Skills.NextRelaxationAfter(waited) is { } relaxAt
            ? entry.Waiting.WaitingSince + relaxAt
            : null;
        if (overflow is not null && !entry.IsOverflowCopy && !entry.OverflowedOut)
        {
            var overflowAt = entry.Waiting.WaitingSince + TimeSpan.FromSeconds(overflow.AfterSeconds);
            next = next is { } n && n < overflowAt ? n : overflowAt;
        }
        return next;
    }

    /// <summary>Keeps a time at which the line should be looked at again for the conversation <paramref name="id"/>.</summary>
    public void Add(string id, DateTimeOffset at) => _due.Enqueue(id, at);

    /// <summary>
    /// The time to set the alarm for, if the earliest time kept comes before the alarm set (or none is set); from then on
    /// it counts as set. Null when the alarm set already comes first.
    /// </summary>
    public DateTimeOffset? AlarmToSet()
    {
        if (_due.TryPeek(out _, out var at) && (AlarmAt is null || at < AlarmAt))
        {
            AlarmAt = at;
            return at;
        }
        return null;
    }

    /// <summary>The alarm rang: none counts as set until <see cref="AlarmToSet"/> gives one again.</summary>
    public void AlarmRang() => AlarmAt = null;

    /// <summary>Takes the earliest time kept if it is due at <paramref name="now"/>: earliest first, one at a time.</summary>
    public bool TryTakeDue(DateTimeOffset now, out string id)
    {
        if (_due.TryPeek(out id!, out var at) && at <= now)
        {
            _due.Dequeue();
            return true;
        }
        id = "";
        return false;
    }
}
