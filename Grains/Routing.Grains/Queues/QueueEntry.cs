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
}
