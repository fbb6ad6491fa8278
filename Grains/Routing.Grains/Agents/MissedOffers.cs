using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Agents;

/// <summary>
/// Missed offers in a row (docs/conversations.md, "Offers"): a timed-out offer counts one more, and the agent is set
/// Away with reason <c>missed-offers</c> once the count reaches the limit while it is Available; a declined offer (an
/// answer) starts the count again. Pure.
/// </summary>
public static class MissedOffers
{
    /// <summary>The agent's record after an offer ended with <paramref name="answer"/>: null if unchanged.</summary>
    public static (AgentRecord? Next, bool WentAway) After(AgentRecord record, string answer, int limit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (answer == "timed-out")
        {
            var missed = record.MissedOffersInRow + 1;
            var away = missed >= limit && record.Status == AgentStatus.Available;
            return away
                ? (record with { MissedOffersInRow = missed, Status = AgentStatus.Away, Reason = "missed-offers", StatusSince = now }, true)
                : (record with { MissedOffersInRow = missed }, false);
        }
        return answer == "declined" && record.MissedOffersInRow != 0 ? (record with { MissedOffersInRow = 0 }, false) : (null, false);
    }
}
