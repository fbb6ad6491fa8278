using Routing.Contracts;
using Routing.Ledger;
using Routing.Policy;

namespace Routing.Grains.Agents;

/// <summary>
/// Where an agent stands: its record as the ledger keeps it, its <see cref="SlotBook"/>, and the version every report to
/// its queues carries — grown with every change, so that a queue's mirror ignores a report older than the one it has
/// (docs/architecture.md, "The grains"). From them it makes what the queues mirror and what the API shows, and it works
/// out the record's next step when the agent is defined or changes status. Pure: no grain calls and no clock —
/// <see cref="AgentGrain"/> writes the record and tells the others. Tested without a silo.
/// </summary>
public sealed class AgentStanding(string agentId, long version)
{
    private AgentDefinition? _ranksOf;
    private IReadOnlyDictionary<string, int>? _ranks;

    public string AgentId => agentId;

    /// <summary>What the agent holds and has promised, against the capacity its definition gives it.</summary>
    public SlotBook Book { get; } = new();

    /// <summary>The agent's record, or null while the agent has not been defined.</summary>
    public AgentRecord? Record { get; private set; }

    /// <summary>The version of the agent's reports to its queues (<see cref="AgentAvailability.Version"/>).</summary>
    public long Version { get; private set; } = version;

    /// <summary>The agent's capacity, as its definition says.</summary>
    public AgentCapacity Capacity => CapacityOf(Known.Definition);

    /// <summary>Something changed that the queues' mirrors must not mistake for older news.</summary>
    public void Changed() => Version++;

    /// <summary>
    /// On activation: the record, and the conversations the ledger says the agent holds or has a pending offer from.
    /// Offers are on record (docs/reliability.md): one this agent's last activation held, and that its conversation
    /// still stands by on another silo, keeps its slot until the conversation answers it or its deadline passes —
    /// else the agent would take a new conversation into that slot and be over capacity.
    /// </summary>
    public void Restore(AgentRecord record, IEnumerable<ConversationRecord> conversations)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(conversations);
        Record = record;
        Book.Capacity = CapacityOf(record.Definition);
        foreach (var c in conversations)
        {
            if (c.State is ConversationState.Connected or ConversationState.WrapUp)
            {
                Book.Restore(new AgentAssignment(c.ConversationId, c.Channel, c.QueueId, c.State, c.ConnectedAt ?? c.UpdatedAt));
            }
            else if (
                c is { State: ConversationState.Offered, Offers: [.., { Answer: "pending", ExpiresAt: { } expiresAt } offer] }
                && offer.AgentId == agentId
            )
            {
                Book.Restore(new AgentOffer(c.ConversationId, c.Channel, c.QueueId, offer.OfferedAt, expiresAt));
            }
        }
    }

    /// <summary>
    /// The record as just written: it is current from now on, and the book's capacity follows its definition.
    /// Answers whether the status or its reason changed, which the desks and the supervisors hear of.
    /// </summary>
    public bool Saved(AgentRecord next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var statusChanged = Record?.Status != next.Status || Record?.Reason != next.Reason;
        Record = next;
        Book.Capacity = CapacityOf(next.Definition);
        Version++;
        return statusChanged;
    }

    /// <summary>
    /// A conversation left the agent: idle time matters for routing now, not after a restart, so it is kept here at
    /// once and written with the next status change.
    /// </summary>
    public void IdleFrom(DateTimeOffset now)
    {
        if (Record is not null)
        {
            Record = Record with { IdleSince = now };
        }
    }

    /// <summary>The record to write for <paramref name="definition"/>: a new agent starts Offline.</summary>
    public AgentRecord Defined(AgentDefinition definition, DateTimeOffset now) =>
        Record is null
            ? new AgentRecord(agentId, definition, AgentStatus.Offline, null, now, now, 0, now)
            : Record with
            {
                Definition = definition,
                UpdatedAt = now,
            };

    /// <summary>The queues the agent serves now and no longer would under <paramref name="definition"/>.</summary>
    public IReadOnlyList<string> QueuesLeftBy(AgentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Record?.Definition.Queues.Select(q => q.QueueId).Except(definition.Queues.Select(q => q.QueueId)).ToList() ?? [];
    }

    /// <summary>
    /// The record after the agent is set to <paramref name="status"/>: Away always has a reason, Available none. Coming
    /// back Available starts its idle time and its count of missed offers afresh (docs/routing.md, rule 5).
    /// </summary>
    public static AgentRecord WithStatus(AgentRecord record, AgentStatus status, string? reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var cameBack = status == AgentStatus.Available && record.Status != AgentStatus.Available;
        return record with
        {
            Status = status,
            Reason = status switch
            {
                AgentStatus.Available => null,
                AgentStatus.Away => reason ?? "away",
                _ => reason,
            },
            StatusSince = record.Status == status ? record.StatusSince : now,
            IdleSince = cameBack ? now : record.IdleSince,
            MissedOffersInRow = cameBack ? 0 : record.MissedOffersInRow,
        };
    }

    /// <summary>
    /// Reserves a slot for an offer, or says why not: <c>unknown-agent</c>, <c>not-available</c>,
    /// <c>does-not-serve-queue</c> (unless <paramref name="direct"/>, a transfer to this agent), or what the book says.
    /// </summary>
    public string? Reserve(ReserveSlot request, bool direct, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Record is null ? "unknown-agent"
            : Record.Status != AgentStatus.Available ? "not-available"
            : !direct && !Record.Definition.Queues.Any(q => q.QueueId == request.QueueId) ? "does-not-serve-queue"
            : Book.Reserve(request, now);
    }

    /// <summary>What the agent's queues mirror of it now (stale offers are let go first).</summary>
    public AgentAvailability Availability(DateTimeOffset now)
    {
        var record = Known;
        return new AgentAvailability(
            agentId,
            Version,
            record.Status,
            record.Definition.Skills,
            record.Definition.Capacity,
            record.Definition.MaxTotal,
            Ranks(record.Definition),
            Book.InUse(now),
            record.IdleSince
        );
    }

    /// <summary>Whether the agent, as <paramref name="availability"/> has it, could take anything at all.</summary>
    public bool IsReady(AgentAvailability availability)
    {
        ArgumentNullException.ThrowIfNull(availability);
        return new AgentCandidate(
            agentId,
            availability.Status == AgentStatus.Available,
            availability.Skills,
            Capacity,
            availability.QueueRanks,
            availability.IdleSince,
            availability.InUse
        ).IsReady;
    }

    /// <summary>The agent as the API shows it: its assignments the desks know of, and its offers, oldest first.</summary>
    public AgentView View()
    {
        var record = Known;
        return new AgentView(
            agentId,
            record.Definition,
            record.Status,
            record.Reason,
            record.StatusSince,
            record.IdleSince,
            record.MissedOffersInRow,
            Book.Announced.OrderBy(a => a.Since).ToList(),
            Book.Offers.OrderBy(o => o.OfferedAt).ToList()
        );
    }

    private AgentRecord Known => Record ?? throw new InvalidOperationException($"Agent {agentId} has no record.");

    private static AgentCapacity CapacityOf(AgentDefinition definition) => new(definition.Capacity, definition.MaxTotal);

    /// <summary>The agent's queue ranks as a dictionary, made once per definition (every availability report carries it).</summary>
    private IReadOnlyDictionary<string, int> Ranks(AgentDefinition definition)
    {
        if (!ReferenceEquals(_ranksOf, definition))
        {
            _ranks = definition.Queues.ToDictionary(q => q.QueueId, q => q.Rank, StringComparer.Ordinal);
            _ranksOf = definition;
        }
        return _ranks!;
    }
}
