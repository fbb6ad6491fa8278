using Routing.Contracts;

namespace Routing.Grains.Queues;

/// <summary>
/// The queue's check of its line against the ledger (docs/reliability.md, "No conversation leaves every line"): every
/// conversation the record says waits in this queue must be in its line. One can drop out when the queue let go of it for
/// an offer whose write never reached the record — its silo froze or died between the answer and the write — and
/// nothing else would put it back. A conversation missing at two checks in a row is put back; one missing once may be an
/// offer whose write is still on its way, and putting it back would only have it answer that it no longer waits. Pure.
/// </summary>
internal sealed class LineCheck
{
    private HashSet<string> _missingBefore = new(StringComparer.Ordinal);

    /// <summary>
    /// Of the conversations waiting on record, those the line has missed at this check and the one before: the ones to put
    /// back. Those missing only now are remembered for the next check.
    /// </summary>
    public IReadOnlyList<QueueTicket> Missing(IEnumerable<QueueTicket> waitingOnRecord, Func<string, bool> inLine)
    {
        var missing = new HashSet<string>(StringComparer.Ordinal);
        var putBack = new List<QueueTicket>();
        foreach (var ticket in waitingOnRecord.Where(t => !inLine(t.ConversationId)))
        {
            if (_missingBefore.Contains(ticket.ConversationId))
            {
                putBack.Add(ticket);
            }
            else
            {
                missing.Add(ticket.ConversationId);
            }
        }
        _missingBefore = missing;
        return putBack;
    }
}
