using System.Globalization;
using System.Text;
using Routing.Contracts;
using Routing.Ledger;

namespace Routing.LoadTests.Audit;

/// <summary>One thing the ledger's timelines show broken, with the conversation or agent it concerns.</summary>
public sealed record AuditViolation(string Kind, string Subject, string Detail);

/// <summary>
/// What the auditor found in one workspace's ledger (docs/reliability.md, "The auditor"): counts by state, the
/// acknowledged creates missing, the invariants broken, and how often a later arrival was served first.
/// </summary>
public sealed record AuditReport(
    int Conversations,
    IReadOnlyDictionary<ConversationState, int> ByState,
    int Acknowledged,
    IReadOnlyList<string> MissingAcknowledged,
    int Offers,
    IReadOnlyDictionary<string, int> OfferAnswers,
    IReadOnlyList<AuditViolation> Violations,
    int OrderedConversations,
    int Overtaken
)
{
    /// <summary>Every acknowledged create is there and no invariant is broken.</summary>
    public bool Passed => MissingAcknowledged.Count == 0 && Violations.Count == 0;

    /// <summary>The share of conversations a later arrival of the same or lower priority in their queue was offered before.</summary>
    public double OvertakenShare => OrderedConversations == 0 ? 0 : (double)Overtaken / OrderedConversations;

    public int Count(string kind) => Violations.Count(v => v.Kind == kind);
}

/// <summary>
/// The independent auditor: replays the timelines the ledger kept — never asking a grain — and checks what must hold
/// after any run, load or fault alike. A pure function of the ledger's rows, so it is tested on timelines made up
/// for the purpose, and run on real ones by <c>--mode audit</c>, after every load run, and by the fault tests.
/// </summary>
public static class LedgerAudit
{
    public const string IllegalStep = "illegal-step";
    public const string HeldByTwo = "held-by-two";
    public const string OverCapacity = "over-capacity";
    public const string Lost = "lost";

    /// <summary>Reads a workspace's timelines and agents from <paramref name="ledger"/> and audits them.</summary>
    public static async Task<AuditReport> RunAsync(
        ILedger ledger,
        string workspace,
        IReadOnlyCollection<string>? acknowledged = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var agents = await ledger.ListAgentsAsync(workspace, cancellationToken).ConfigureAwait(false);
        var queues = await ledger.ListQueuesAsync(workspace, cancellationToken).ConfigureAwait(false);
        var timelines = await ledger.ListTimelinesAsync(workspace, cancellationToken).ConfigureAwait(false);
        return Check(timelines, agents.Select(a => a.Item).ToList(), acknowledged, queues.Select(q => q.Item).ToList());
    }

    /// <summary>
    /// Audits <paramref name="conversations"/> (with their timelines) against the agents' capacities.
    /// <list type="bullet">
    /// <item>every id in <paramref name="acknowledged"/> (the creates a client was answered 201 for) is there;</item>
    /// <item>each timeline follows the lifecycle: Created, Queued (or the self-service step first, which ends Resolved or
    /// Abandoned or escalates into Queued), then offers, answers and the end in an order the grains can make;</item>
    /// <item>no conversation is held by two agents: an offer or a connection ends before another agent's begins;</item>
    /// <item>no agent holds more than its capacity on a channel, or more than its total, at any moment — a hold runs
    /// from the offer (which reserves the slot) until the conversation leaves the agent; an offer never answered holds
    /// at most until its deadline (recorded with the offer, or else the offering queue's timeout from <paramref name="queues"/>) and the
    /// agent's grace
    /// after it, when the agent lets go of it whatever became of the conversation (an offer lost with its silo is
    /// recorded as lost only when the conversation comes back);</item>
    /// <item>the share of conversations overtaken: a later arrival of the same or lower priority in the same queue
    /// offered first while they waited (skills and relaxation make some of that correct; it is reported, not failed).
    /// "Later" means put in line (created, or escalated out of the self-service step) more than <see cref="SameMoment"/>
    /// after: creates closer than that race each other to their queue over the network, and no line can promise their
    /// order.</item>
    /// </list>
    /// Times are the grains' own stamps; on a cluster the silos' clocks differ by their skew, which a hold's edges
    /// on two silos can show as an overlap of that size.
    /// </summary>
    public static AuditReport Check(
        IReadOnlyList<ConversationRecord> conversations,
        IReadOnlyList<AgentRecord> agents,
        IReadOnlyCollection<string>? acknowledged = null,
        IReadOnlyList<QueueInfo>? queues = null
    )
    {
        ArgumentNullException.ThrowIfNull(conversations);
        ArgumentNullException.ThrowIfNull(agents);
        var violations = new List<AuditViolation>();
        var holds = new List<Hold>();
        var timeouts = (queues ?? []).ToDictionary(
            q => q.QueueId,
            q => TimeSpan.FromSeconds(q.Definition.OfferTimeoutSeconds),
            StringComparer.Ordinal
        );
        foreach (var c in conversations)
        {
            CheckSteps(c, violations);
            holds.AddRange(HoldsOf(c, timeouts));
        }
        CheckCapacity(holds, agents, violations, conversations);

        var ids = conversations.Select(c => c.ConversationId).ToHashSet(StringComparer.Ordinal);
        var missing = (acknowledged ?? []).Where(id => !ids.Contains(id)).ToList();
        violations.AddRange(missing.Select(id => new AuditViolation(Lost, id, "acknowledged as created, not in the ledger")));
        var (ordered, overtaken) = Overtaking(conversations);
        return new AuditReport(
            conversations.Count,
            conversations.GroupBy(c => c.State).ToDictionary(g => g.Key, g => g.Count()),
            acknowledged?.Count ?? 0,
            missing,
            conversations.Sum(c => c.Offers.Count),
            conversations.SelectMany(c => c.Offers).GroupBy(o => o.Answer).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            violations,
            ordered,
            overtaken
        );
    }

    private static void CheckSteps(ConversationRecord c, List<AuditViolation> violations)
    {
        var steps = c.Timeline;
        if (steps.Count == 0 || steps[0].State != ConversationState.Created)
        {
            violations.Add(new AuditViolation(IllegalStep, c.ConversationId, "the timeline does not begin with Created"));
            return;
        }
        string? holder = null;
        for (var i = 1; i < steps.Count; i++)
        {
            var (from, step) = (steps[i - 1], steps[i]);
            var legal = (from.State, step.State) switch
            {
                (ConversationState.Created, ConversationState.Queued or ConversationState.SelfService) => true,
                // the self-service step (docs/self-service.md): escalated into the line, or ended there
                (ConversationState.SelfService, ConversationState.Queued or ConversationState.Resolved or ConversationState.Abandoned) =>
                    true,
                (ConversationState.Queued, ConversationState.Queued or ConversationState.Offered or ConversationState.Abandoned) => true,
                (ConversationState.Offered, ConversationState.Connected) => step.AgentId == holder,
                (ConversationState.Offered, ConversationState.Queued or ConversationState.Abandoned) => true,
                (ConversationState.Connected, ConversationState.WrapUp) => step.AgentId == holder,
                (ConversationState.Connected, ConversationState.Queued) => true, // transferred to a queue
                (ConversationState.Connected, ConversationState.Offered) => step.AgentId != holder, // transferred to another agent
                (ConversationState.WrapUp, ConversationState.Completed) => true,
                _ => false,
            };
            if (!legal)
            {
                var kind = from.State == ConversationState.Offered && step.State == ConversationState.Offered ? HeldByTwo : IllegalStep;
                violations.Add(
                    new AuditViolation(
                        kind,
                        c.ConversationId,
                        $"{from.State} ({from.AgentId ?? "-"}) then {step.State} ({step.AgentId ?? "-"}) at {step.At:O}"
                    )
                );
            }
            holder = step.State switch
            {
                ConversationState.Offered or ConversationState.Connected or ConversationState.WrapUp => step.AgentId,
                _ => null,
            };
        }
        if (steps[^1].State != c.State)
        {
            violations.Add(
                new AuditViolation(IllegalStep, c.ConversationId, $"the row says {c.State}, the timeline ends {steps[^1].State}")
            );
        }
    }

    /// <summary>How long after an offer's deadline an agent still counts it as holding a slot (the agent grain's grace).</summary>
    public static readonly TimeSpan OfferGrace = Routing.Grains.Agents.SlotBook.OfferGrace;

    /// <summary>Creates closer together than this are not ordered by the overtaking count.</summary>
    public static readonly TimeSpan SameMoment = TimeSpan.FromMilliseconds(50);

    private sealed record Hold(string Agent, string Channel, DateTimeOffset From, DateTimeOffset Until, string ConversationId);

    /// <summary>Each stretch an agent held the conversation: from its offer until the step that takes it from the agent.</summary>
    private static IEnumerable<Hold> HoldsOf(ConversationRecord c, Dictionary<string, TimeSpan> timeouts)
    {
        var steps = c.Timeline;
        var offers = 0; // the offers list keeps the timeline's offers in their order, each with its deadline
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is not { State: ConversationState.Offered, AgentId: { } agent })
            {
                continue;
            }
            var recorded = offers < c.Offers.Count ? c.Offers[offers] : null;
            offers++;
            var end = i + 1;
            while (
                end < steps.Count
                && steps[end].State is ConversationState.Connected or ConversationState.WrapUp
                && steps[end].AgentId == agent
            )
            {
                end++;
            }
            var until = end < steps.Count ? steps[end].At : DateTimeOffset.MaxValue;
            if (end == i + 1)
            {
                // Never answered: the agent let go of it by its deadline and grace, whatever the conversation recorded later.
                var timeout = timeouts.GetValueOrDefault(
                    steps[i].QueueId ?? c.QueueId,
                    TimeSpan.FromSeconds(QueueDefinition.DefaultOfferTimeoutSeconds)
                );
                var deadline = (recorded?.ExpiresAt ?? steps[i].At + timeout) + OfferGrace;
                until = until < deadline ? until : deadline;
            }
            yield return new Hold(agent, c.Channel, steps[i].At, until, c.ConversationId);
            i = end - 1;
        }
    }

    private static void CheckCapacity(
        List<Hold> holds,
        IReadOnlyList<AgentRecord> agents,
        List<AuditViolation> violations,
        IReadOnlyList<ConversationRecord> conversations
    )
    {
        var definitions = agents.ToDictionary(a => a.AgentId, a => a.Definition, StringComparer.Ordinal);
        foreach (var agent in holds.GroupBy(h => h.Agent))
        {
            if (!definitions.TryGetValue(agent.Key, out var definition))
            {
                violations.Add(new AuditViolation(IllegalStep, agent.Key, "offered conversations, but no such agent in the ledger"));
                continue;
            }
            // A release before a take at the same instant: the slot was free again when it was taken.
            var edges = agent
                .SelectMany(h => new[] { (h.At(true), h.Channel, +1, h.ConversationId), (h.At(false), h.Channel, -1, h.ConversationId) })
                .OrderBy(e => e.Item1)
                .ThenBy(e => e.Item3);
            var perChannel = new Dictionary<string, int>(StringComparer.Ordinal);
            var total = 0;
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (at, channel, change, conversation) in edges)
            {
                total += change;
                var held = perChannel[channel] = perChannel.GetValueOrDefault(channel) + change;
                if (change < 0)
                {
                    continue;
                }
                if (definition.Capacity.TryGetValue(channel, out var limit) && held > limit && reported.Add(channel))
                {
                    violations.Add(
                        new AuditViolation(
                            OverCapacity,
                            agent.Key,
                            $"{held} {channel} conversations at {at:O} (capacity {limit}), the last {conversation}"
                                + HoldsAround(agent, at, conversations)
                        )
                    );
                }
                if (definition.MaxTotal is { } max && total > max && reported.Add("total"))
                {
                    violations.Add(
                        new AuditViolation(
                            OverCapacity,
                            agent.Key,
                            $"{total} conversations at {at:O} (at most {max} in all), the last {conversation}"
                                + HoldsAround(agent, at, conversations)
                        )
                    );
                }
            }
        }
    }

    /// <summary>
    /// What an over-capacity finding needs to be understood: the agent's holds from 20 s before the moment to just after it
    /// (those active then marked), each with its conversation's timeline and offers.
    /// </summary>
    private static string HoldsAround(IEnumerable<Hold> holds, DateTimeOffset at, IReadOnlyList<ConversationRecord> conversations)
    {
        var byId = conversations.ToDictionary(c => c.ConversationId, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var hold in holds.Where(h => h.From <= at.AddSeconds(2) && h.Until >= at.AddSeconds(-20)).OrderBy(h => h.From))
        {
            var until = hold.Until == DateTimeOffset.MaxValue ? "open" : hold.Until.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            var active = hold.From <= at && hold.Until > at ? " (active)" : "";
            text.Append(CultureInfo.InvariantCulture, $"\n  hold {hold.ConversationId} {hold.From:HH:mm:ss.fff}..{until}{active}");
            var conversation = byId[hold.ConversationId];
            foreach (var step in conversation.Timeline)
            {
                text.Append(
                    CultureInfo.InvariantCulture,
                    $"\n    {step.At:HH:mm:ss.fff} {step.State} agent={step.AgentId ?? "-"} queue={step.QueueId ?? "-"}"
                        + $" reason={step.Reason ?? "-"}"
                );
            }
            foreach (var offer in conversation.Offers)
            {
                text.Append(
                    CultureInfo.InvariantCulture,
                    $"\n    offer to {offer.AgentId} at {offer.OfferedAt:HH:mm:ss.fff}, deadline {offer.ExpiresAt:HH:mm:ss.fff}:"
                        + $" {offer.Answer}"
                        + $" at {offer.AnsweredAt:HH:mm:ss.fff}"
                );
            }
        }
        return text.ToString();
    }

    private static DateTimeOffset At(this Hold hold, bool start) => start ? hold.From : hold.Until;

    /// <summary>
    /// Per queue, how many conversations a later arrival of the same or lower priority was first offered before —
    /// while they still waited (before their own first offer, their abandonment, or the end of the record). Counted
    /// over the conversations that waited in the queue they first entered the line of (a transfer starts another wait).
    /// O(n log n): conversations by arrival from the last, each checked against the earliest first offer among the
    /// later ones of its priority or lower (a Fenwick tree of minima over priority ranks, filled as the check moves
    /// back in time).
    /// </summary>
    private static (int Ordered, int Overtaken) Overtaking(IReadOnlyList<ConversationRecord> conversations)
    {
        var (ordered, overtaken) = (0, 0);
        var waited = conversations.Select(Wait).OfType<Waiting>();
        foreach (var queue in waited.GroupBy(w => w.QueueId))
        {
            var waits = queue.OrderByDescending(w => w.CreatedAt).ThenByDescending(w => w.Arrival).ToList();
            var priorities = waits.Select(w => w.Priority).Distinct().Order().ToList();
            var earliest = new DateTimeOffset[priorities.Count + 1];
            Array.Fill(earliest, DateTimeOffset.MaxValue);
            var later = 0; // waits[..later] are in the tree: those created more than SameMoment after the one checked
            foreach (var w in waits)
            {
                for (; later < waits.Count && waits[later].CreatedAt > w.CreatedAt + SameMoment; later++)
                {
                    if (waits[later].FirstOffer is { } offered)
                    {
                        for (var i = priorities.BinarySearch(waits[later].Priority) + 1; i < earliest.Length; i += i & -i)
                        {
                            earliest[i] = offered < earliest[i] ? offered : earliest[i];
                        }
                    }
                }
                var rank = priorities.BinarySearch(w.Priority) + 1;
                ordered++;
                var first = DateTimeOffset.MaxValue;
                for (var i = rank; i > 0; i -= i & -i)
                {
                    first = first < earliest[i] ? first : earliest[i];
                }
                if (first < w.WaitedUntil)
                {
                    overtaken++;
                }
            }
        }
        return (ordered, overtaken);
    }

    private sealed record Waiting(
        string QueueId,
        DateTimeOffset CreatedAt,
        long Arrival,
        int Priority,
        DateTimeOffset? FirstOffer,
        DateTimeOffset WaitedUntil
    );

    /// <summary>
    /// The first wait in a line: from the first Queued step — the creation, or the escalation out of the self-service step,
    /// when the queue puts it in line (its <c>CreatedAt</c> here) — to the first step after it that is not another Queued
    /// in the same queue (a move or an overflow is still waiting): an offer, an abandonment. None for a conversation that
    /// never waited (resolved or left in the self-service step).
    /// </summary>
    private static Waiting? Wait(ConversationRecord c)
    {
        var start = c.Timeline.ToList().FindIndex(t => t.State == ConversationState.Queued);
        if (start < 0)
        {
            return null;
        }
        var home = c.Timeline[start].QueueId ?? c.QueueId;
        var end = c.Timeline.Skip(start + 1).FirstOrDefault(t => t.State != ConversationState.Queued || t.QueueId != home);
        DateTimeOffset? offered = end is { State: ConversationState.Offered } ? end.At : null;
        return new Waiting(home, c.Timeline[start].At, c.Arrival, c.Priority, offered, end?.At ?? DateTimeOffset.MaxValue);
    }
}
