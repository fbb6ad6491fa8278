using Routing.Contracts;
using static Routing.Ledger.ReportQuarters.Measure;

namespace Routing.Ledger;

/// <summary>
/// What the ledger adds to its quarter-hour totals (<see cref="ReportQuarters"/>) as conversations are written —
/// the same figures the timelines hold, kept as they happen so a month's report reads totals instead of millions
/// of transitions. Each transition counts in the quarter hour it happened in, under its queue, its agent and its
/// conversation's channel: a creation is an offer (or, into the self-service step, a self-served conversation, offered
/// only when it is escalated; a resolution by self-service is a deflection); a connection an answer (its speed from the
/// start of the wait, in time
/// against the queue's service-level target in force at that moment); an abandon (short under 5 s); a wrap-up
/// after a connection the talk; a completion after a wrap-up the wrap-up; a transition for a transfer a transfer.
/// A rating counts where its conversation completed, whenever it arrives.
/// </summary>
/// <remarks>
/// One per writer, used by its one thread. The previous transition of a write comes with it from the grain
/// (<see cref="ConversationChange.Previous"/>), else from an earlier write of the same batch, else from the
/// database through the <see cref="IRollupSource"/> — never from a memory that a conversation moving to another
/// silo's writer would leave stale. Queue targets are remembered for 30 s. What one batch adds waits in
/// <see cref="Pending"/> until the writer stores it in the batch's own transaction; a failed batch
/// <see cref="Discard"/>s it.
/// </remarks>
internal sealed class ReportRollup(IRollupSource source)
{
    /// <summary>Queue targets are read again after this long, so a change made through another silo is seen.</summary>
    private const long TargetLifetimeMs = 30_000;

    private readonly Dictionary<(string Workspace, string Id), ConversationTransition> _lastInBatch = [];
    private readonly Dictionary<(string Workspace, string QueueId), (int Seconds, long ReadAt)> _targets = [];
    private readonly Dictionary<(string Workspace, string Id), int> _ratedInBatch = [];

    /// <summary>What the current batch adds, by row.</summary>
    public Dictionary<ReportQuarterKey, long[]> Pending { get; } = [];

    public void Queue(string workspace, QueueInfo queue) =>
        _targets[(workspace, queue.QueueId)] = (queue.Definition.ServiceLevel.TargetSeconds, Environment.TickCount64);

    /// <summary>Counts a conversation's write. Called before the write itself reaches the database.</summary>
    public void Conversation(string workspace, ConversationChange change)
    {
        var transitions = change.NewTransitions;
        var c = change.Conversation;
        var key = (workspace, c.ConversationId);
        var previous = change.Previous ?? _lastInBatch.GetValueOrDefault(key);
        if (
            previous is null
            && change.NewTransitions.Count > 0
            && change.NewTransitions[0].State is ConversationState.WrapUp or ConversationState.Completed
        )
        {
            previous = source.LastTransition(workspace, c.ConversationId);
        }
        var completedHere = false;
        for (var i = 0; i < transitions.Count; i++)
        {
            var t = transitions[i];
            Transition(workspace, c, t, previous, i + 1 < transitions.Count ? transitions[i + 1] : null);
            if (t.State == ConversationState.Completed && c.Rating is { } rating)
            {
                AddRating(workspace, c, t.At, t.QueueId, t.AgentId, rating, 1);
                _ratedInBatch[key] = rating;
                completedHere = true;
            }
            previous = t;
        }
        if (!completedHere && c.Rating is { } rated && c.State == ConversationState.Completed && c.EndedAt is { } ended)
        {
            // A rating given after the completion: counted once, where the conversation completed.
            var before = _ratedInBatch.TryGetValue(key, out var r) ? r : source.StoredRating(workspace, c.ConversationId);
            if (before != rated)
            {
                AddRating(workspace, c, ended, c.QueueId, c.AgentId, rated - (before ?? 0), before is null ? 1 : 0);
                _ratedInBatch[key] = rated;
            }
        }
        if (previous is not null)
        {
            _lastInBatch[key] = previous;
        }
    }

    /// <summary>The batch is stored: its totals are done with.</summary>
    public void Stored()
    {
        Pending.Clear();
        _ratedInBatch.Clear();
        _lastInBatch.Clear();
    }

    /// <summary>The batch failed: nothing it added happened, and what was remembered from it may be wrong.</summary>
    public void Discard()
    {
        Pending.Clear();
        _ratedInBatch.Clear();
        _lastInBatch.Clear();
        _targets.Clear();
    }

    private void Transition(
        string workspace,
        ConversationRecord c,
        ConversationTransition t,
        ConversationTransition? previous,
        ConversationTransition? next
    )
    {
        var escalated = t.State == ConversationState.Queued && previous?.State == ConversationState.SelfService;
        if (t.State is ConversationState.Queued or ConversationState.Offered && t.Reason != "transferred" && !escalated)
        {
            return; // counts nothing: most transitions, so no row is made for them
        }
        var row = new long[ReportQuarters.Measures.Length];
        var waited = (t.At - c.WaitStart).Ticks;
        switch (t.State)
        {
            case ConversationState.Created when next?.State == ConversationState.SelfService:
                row[SelfServed] = 1;
                break;
            case ConversationState.Created:
                row[Offered] = 1;
                break;
            case ConversationState.Queued when escalated:
                row[Offered] = 1;
                row[Escalated] = 1;
                row[SelfServiceTicks] = (t.At - c.CreatedAt).Ticks;
                break;
            case ConversationState.Resolved:
                row[Deflected] = 1;
                row[SelfServiceTicks] = (t.At - c.CreatedAt).Ticks;
                break;
            case ConversationState.Connected:
                row[Connected] = 1;
                row[AnswerTicks] = waited;
                row[InTime] = waited <= TimeSpan.FromSeconds(Target(workspace, t.QueueId)).Ticks ? 1 : 0;
                break;
            case ConversationState.Abandoned when previous?.State == ConversationState.SelfService:
                break; // left the self-service step: no person's queue saw it
            case ConversationState.Abandoned:
                row[Abandoned] = 1;
                row[ShortAbandoned] = waited < ReportQuarters.ShortAbandon.Ticks ? 1 : 0;
                break;
            case ConversationState.WrapUp when previous?.State == ConversationState.Connected:
                row[Talks] = 1;
                row[TalkTicks] = (t.At - previous.At).Ticks;
                break;
            case ConversationState.Completed when previous?.State == ConversationState.WrapUp:
                row[WrapUps] = 1;
                row[WrapUpTicks] = (t.At - previous.At).Ticks;
                break;
        }
        if (t.Reason == "transferred")
        {
            row[Transfers] = 1;
        }
        if (row.Any(v => v != 0))
        {
            Add(workspace, t.At, t.QueueId, t.AgentId, c.Channel, row);
        }
    }

    private void AddRating(string workspace, ConversationRecord c, DateTimeOffset at, string? queueId, string? agentId, int sum, int count)
    {
        var row = new long[ReportQuarters.Measures.Length];
        row[RatingSum] = sum;
        row[Ratings] = count;
        Add(workspace, at, queueId, agentId, c.Channel, row);
    }

    private void Add(string workspace, DateTimeOffset at, string? queueId, string? agentId, string channel, long[] row)
    {
        var quarter = ReportQuarters.QuarterOf(at);
        Add(new ReportQuarterKey(workspace, ReportBy.Queue, quarter, queueId), row);
        Add(new ReportQuarterKey(workspace, ReportBy.Agent, quarter, agentId), row);
        Add(new ReportQuarterKey(workspace, ReportBy.Channel, quarter, channel), row);
    }

    private void Add(ReportQuarterKey key, long[] row)
    {
        if (key.Key is null)
        {
            return;
        }
        if (!Pending.TryGetValue(key, out var totals))
        {
            Pending[key] = totals = new long[row.Length];
        }
        for (var i = 0; i < row.Length; i++)
        {
            totals[i] += row[i];
        }
    }

    private int Target(string workspace, string? queueId)
    {
        if (queueId is null)
        {
            return ServiceLevelGoal.Default.TargetSeconds;
        }
        var now = Environment.TickCount64;
        if (_targets.TryGetValue((workspace, queueId), out var known) && now - known.ReadAt < TargetLifetimeMs)
        {
            return known.Seconds;
        }
        var seconds = source.TargetSeconds(workspace, queueId) ?? ServiceLevelGoal.Default.TargetSeconds;
        _targets[(workspace, queueId)] = (seconds, now);
        return seconds;
    }
}

/// <summary>What the rollup asks the database when it does not remember.</summary>
internal interface IRollupSource
{
    ConversationTransition? LastTransition(string workspace, string conversationId);

    int? StoredRating(string workspace, string conversationId);

    int? TargetSeconds(string workspace, string queueId);
}

/// <summary>One row of the quarter-hour totals: a workspace's queue, agent or channel in the quarter hour starting at <see cref="Quarter"/>
/// (UTC ticks).</summary>
internal readonly record struct ReportQuarterKey(string Workspace, ReportBy By, long Quarter, string? Key);
