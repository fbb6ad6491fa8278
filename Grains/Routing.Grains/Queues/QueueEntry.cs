using Routing.Contracts;
using Routing.Policy;

namespace Routing.Grains.Queues;

/// <summary>
/// A conversation in a queue's line. While an offer attempt is under way it is out of the sorted line but kept
/// here; <see cref="Generation"/> changes whenever the conversation re-enters, so the answer to an older
/// attempt cannot take a newer entry out of line.
/// </summary>
internal sealed class QueueEntry(QueueTicket ticket, WaitingConversation waiting, long generation)
{
    public QueueTicket Ticket { get; } = ticket;
    public WaitingConversation Waiting { get; } = waiting;
    public long Generation { get; } = generation;
    public string Id => Ticket.ConversationId;

    /// <summary>An offer attempt is under way.</summary>
    public bool Offering { get; set; }

    /// <summary>This entry was also put in the overflow queue's line.</summary>
    public bool OverflowedOut { get; set; }

    /// <summary>This entry is an overflow copy; its home is another queue.</summary>
    public bool IsOverflowCopy { get; init; }

    /// <summary>Why no agent could ever serve it, or null.</summary>
    public string? Unservable { get; set; }

    /// <summary>
    /// The entry of <paramref name="ticket"/> in the line of <paramref name="queueId"/>: an overflow copy, offered at once, when
    /// the ticket's home is another queue; else waiting under the queue's own <paramref name="overflow"/> rule, if it has one
    /// (docs/conversations.md, "Overflow").
    /// </summary>
    public static QueueEntry For(QueueTicket ticket, string queueId, OverflowRule? overflow, long generation, bool overflowedOut)
    {
        var isOverflowCopy = ticket.QueueId != queueId;
        Overflow? rule =
            isOverflowCopy ? new Overflow(queueId, TimeSpan.Zero)
            : overflow is not null ? new Overflow(overflow.QueueId, TimeSpan.FromSeconds(overflow.AfterSeconds))
            : null;
        var waiting = new WaitingConversation(
            ticket.ConversationId,
            ticket.QueueId,
            ticket.Channel,
            ticket.Priority,
            ticket.WaitingSince,
            ticket.Arrival,
            new SkillPlan(
                ticket.Skills.Select(s => new SkillStep(s.Requirements, s.Seconds is { } sec ? TimeSpan.FromSeconds(sec) : null)).ToList()
            ),
            ticket.ExcludedAgents.ToHashSet(StringComparer.Ordinal),
            rule
        );
        return new QueueEntry(ticket, waiting, generation) { OverflowedOut = overflowedOut, IsOverflowCopy = isOverflowCopy };
    }
}
