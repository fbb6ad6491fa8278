using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Queues;

internal static class ConversationTickets
{
    /// <summary>The conversation's ticket for its queue's line, as recorded: its place, what it asks for, who it is.</summary>
    public static QueueTicket Ticket(this ConversationRecord c) =>
        new(
            c.ConversationId,
            c.QueueId,
            c.Channel,
            c.Priority,
            c.WaitStart,
            c.Arrival,
            c.Skills,
            c.ExcludedAgents,
            c.Customer.Name,
            c.Customer.Tier
        );
}
