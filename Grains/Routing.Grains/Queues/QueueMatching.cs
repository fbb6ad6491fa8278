using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Policy;

namespace Routing.Grains.Queues;

/// <summary>
/// A queue's line, its mirror of the agents that serve it, and who gets what between them (docs/routing.md, rules 1 to 4).
/// Each choice counts the slot it promises on the agent's candidate, so one pass never over-books an agent, and an attempt
/// under way keeps its conversation out of the sorted line and its slot in the mirror until it is answered. Making the
/// offers chosen, and deciding where an answered one goes, is <see cref="QueueOffers"/>' part. Pure: no grain calls and
/// no clock of its own.
/// </summary>
internal sealed class QueueMatching(string queueId, ILogger logger)
{
    private Matcher _matcher = new(SelectionMethod.LongestIdle);
    private QueueDefinition? _definition;
    private long _generation;

    public QueueLine Line { get; } = new(new PriorityOrder(0));

    public AgentMirror Agents { get; } = new();

    /// <summary>The queue's definition; a queue never defined is not found.</summary>
    public QueueDefinition Definition => _definition ?? throw RoutingException.NotFound("queue", queueId, "queueId");

    /// <summary>The queue's business hours; null: always open. While closed, nothing is offered (docs/routing.md, "Business
    /// hours").</summary>
    public BusinessHours? Hours { get; set; }

    /// <summary>Whether the queue is closed at <paramref name="now"/> by its business hours.</summary>
    public bool ClosedAt(DateTimeOffset now) => Hours is { } hours && !hours.IsOpen(now);

    /// <summary>The queue's overflow rule, if it has been defined with one.</summary>
    public OverflowRule? Overflow => _definition?.Overflow;

    /// <summary>Takes the queue's first or a changed definition: its selection method and its aging rate apply from now on.</summary>
    public void Define(QueueDefinition definition)
    {
        var first = _definition is null;
        _definition = definition;
        var method = SelectionMethods.Parse(definition.Selection);
        if (_matcher.Method != method || first)
        {
            _matcher = new Matcher(method) { LastPicked = _matcher.LastPicked };
            Agents.KeepInOrder(method);
        }
        if (Line.Order.AgingPerSecond != definition.AgingPerSecond)
        {
            Line.Reorder(new PriorityOrder(definition.AgingPerSecond));
        }
    }

    /// <summary>Fills the mirror and the line from the ledger (<see cref="QueueReload"/>).</summary>
    public void Load(IEnumerable<AgentAvailability> agents, IEnumerable<QueueTicket> waiting)
    {
        foreach (var agent in agents)
        {
            Agents.Apply(queueId, agent, out _);
        }
        foreach (var ticket in waiting)
        {
            if (!Line.TryGet(ticket.ConversationId, out _)) // entered while the ledger was read
            {
                Line.Put(NewEntry(ticket, overflowedOut: false));
            }
        }
    }

    /// <summary>
    /// Puts a conversation in line, or back in its place (keeping whether it overflowed), and says whether an agent of the
    /// queue could ever serve it. Only an arrival is held to the queue's maximum length.
    /// </summary>
    public QueueEntry Enter(QueueTicket ticket, bool isArrival)
    {
        var definition = Definition;
        var known = Line.TryGet(ticket.ConversationId, out var existing);
        if (!known && isArrival && definition.MaxLength is { } max && Line.HomeCount >= max)
        {
            throw new RoutingException(
                RoutingErrorKind.Overloaded,
                "queue-full",
                $"Queue '{queueId}' holds its maximum of {max} waiting conversations; try again shortly.",
                "queueId"
            );
        }
        var entry = NewEntry(ticket, overflowedOut: known && existing.OverflowedOut);
        Line.Put(entry);
        CheckServable(entry);
        return entry;
    }

    /// <summary>
    /// Applies an agent's report to the mirror, and if the agents serving the queue, or what they could ever do, changed,
    /// judges the line's conversations again. False, and nothing applied, before the queue is defined.
    /// </summary>
    public bool Apply(AgentAvailability agent)
    {
        if (_definition is null)
        {
            return false;
        }
        Agents.Apply(queueId, agent, out var membershipChanged);
        if (membershipChanged)
        {
            foreach (var entry in Line.Entries)
            {
                CheckServable(entry);
            }
        }
        return true;
    }

    /// <summary>The conversations the agent, if it has room, should be offered now, best first, as many as it has room for.</summary>
    public List<WaitingConversation> ConversationsFor(string agentId, DateTimeOffset now) =>
        !ClosedAt(now) && Agents.TryGet(agentId, out var candidate)
            ? _matcher.ConversationsFor(candidate, Line.InOrderOn(candidate.HasRoomFor), now)
            : [];

    /// <summary>The agent the entry should be offered to now, if one is ready and eligible; none while it is being offered.</summary>
    public string? AgentFor(QueueEntry entry, DateTimeOffset now)
    {
        if (entry.Offering || Agents.Ready.Count == 0 || ClosedAt(now))
        {
            return null;
        }
        var agent = Agents.ReadyInOrderFor(entry.Waiting.Channel, entry.Waiting.Skills) is { } ordered
            ? _matcher.FirstInOrderFor(entry.Waiting, ordered, now)
            : _matcher.AgentFor(entry.Waiting, Agents.Ready, now);
        return agent?.Id;
    }

    /// <summary>A full pass: every waiting conversation in order, each to the agent the selection method picks.</summary>
    public IEnumerable<(QueueEntry Entry, string AgentId)> Everything(DateTimeOffset now)
    {
        if (ClosedAt(now))
        {
            yield break;
        }
        foreach (var (conversation, agent) in _matcher.MatchAll(Line.InOrder.ToList(), Agents.Ready.ToList(), now))
        {
            if (Line.TryGet(conversation.Id, out var entry))
            {
                yield return (entry, agent.Id);
            }
        }
    }

    /// <summary>An offer of the entry to the agent is under way: out of the sorted line, its slot held in the mirror.</summary>
    public void AttemptStarted(QueueEntry entry, string agentId)
    {
        Line.MarkOffering(entry);
        Agents.AttemptStarted(agentId, entry.Ticket.Channel);
    }

    /// <summary>The attempt is answered: the mirror lets its slot go, and takes <paramref name="report"/>, the agent's availability
    /// as it answered, if known. Where the entry goes is the caller's to say.</summary>
    public void AttemptSettled(QueueEntry entry, string agentId, AgentAvailability? report) =>
        Agents.AttemptSettled(queueId, agentId, entry.Ticket.Channel, report);

    /// <summary>
    /// Whether an agent serving the queue could ever take the entry (docs/routing.md, rule 2); the first time it is judged
    /// unservable, a warning says why.
    /// </summary>
    public void CheckServable(QueueEntry entry)
    {
        // An overflow copy is judged by its home queue; a queue that overflows may be served by the other queue's agents.
        if (entry.IsOverflowCopy || Definition.Overflow is not null)
        {
            entry.Unservable = null;
            return;
        }
        var servable = Agents.Candidates.Any(a => Eligibility.CouldEverServe(a, entry.Waiting));
        var reason = servable ? null : DescribeUnservable(entry);
        if (reason is not null && entry.Unservable is null)
        {
            Log.Unservable(logger, entry.Id, queueId, reason);
        }
        entry.Unservable = reason;
    }

    private string DescribeUnservable(QueueEntry entry)
    {
        var needs = entry.Waiting.Skills.Final.Requirements;
        var skills = needs.Count == 0 ? "no skills" : string.Join(", ", needs.Select(n => $"{n.Key}>={n.Value}"));
        return $"no agent serving queue '{queueId}' can take a {entry.Ticket.Channel} conversation needing {skills}";
    }

    private QueueEntry NewEntry(QueueTicket ticket, bool overflowedOut) =>
        QueueEntry.For(ticket, queueId, _definition?.Overflow, ++_generation, overflowedOut);
}
