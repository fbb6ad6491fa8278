using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// A conversation's record as the ledger has it, and the one way it changes: written first, then made current
/// (docs/reliability.md, "Every transition on record"). It keeps the timeline and the transcript apart from the record,
/// as they only grow, and writes one change at a time, in order. An offer is the one step not waited for: it is written
/// while the queue's matching goes on, and whatever reports the conversation's state waits for it
/// (<see cref="WrittenAsync"/>). Each transition it makes current is published for the metrics, and every change made
/// current is handed to <paramref name="changed"/>. The internal notes (docs/supervision.md) are written the same way but
/// change nothing else.
/// </summary>
public sealed class ConversationJournal(
    ILedger ledger,
    RoutingClock clock,
    RoutingEvents events,
    ILogger logger,
    string workspace,
    string conversationId,
    Action<ConversationJournal.Change> changed
)
{
    /// <summary>What a write made current: the record, the message it appended, the transitions it took.</summary>
    public sealed record Change(ConversationRecord Record, TranscriptMessage? Message, IReadOnlyList<ConversationTransition> Transitions);

    private readonly List<ConversationNote> _notes = [];
    private readonly List<ConversationTransition> _timeline = [];
    private readonly List<TranscriptMessage> _transcript = [];
    private readonly List<ConversationTransition> _unwritten = [];
    private Task _offerWritten = Task.CompletedTask;

    /// <summary>The current record (its timeline and transcript empty: see <see cref="View"/>), or null if none exists.</summary>
    public ConversationRecord? Record { get; private set; }

    /// <summary>How many messages the transcript holds.</summary>
    public int TranscriptCount => _transcript.Count;

    /// <summary>The internal notes, in order (docs/supervision.md).</summary>
    public IReadOnlyList<ConversationNote> Notes => _notes;

    /// <summary>The mode of the self-service step the conversation was created into, if it was (docs/self-service.md).</summary>
    public string? SelfServiceMode => _timeline.FirstOrDefault(t => t.State == ConversationState.SelfService)?.Reason;

    /// <summary>Reads the conversation from the ledger; false when there is none.</summary>
    public async Task<bool> LoadAsync()
    {
        var stored = await ledger.GetConversationAsync(workspace, conversationId);
        if (stored is null)
        {
            return false;
        }
        _timeline.AddRange(stored.Timeline);
        _transcript.AddRange(stored.Transcript);
        _notes.AddRange(stored.Notes ?? []);
        Record = stored with { Timeline = [], Transcript = [], Notes = null };
        return true;
    }

    /// <summary>
    /// Makes an offer current at once and writes it after any write still in flight; its transitions stay owed, and
    /// ride with the next write, until that write succeeds.
    /// </summary>
    public void WriteOffer(ConversationLifecycle.Step offer)
    {
        _unwritten.AddRange(offer.Transitions);
        Apply(offer.Next, null, offer.Transitions);
        _offerWritten = WriteOfferAsync(_offerWritten);
    }

    /// <summary>Waits until every offer made so far is written (or has failed and is owed by the next write).</summary>
    public Task WrittenAsync() => _offerWritten;

    /// <summary>Writes a step of the lifecycle (and any transition still owed), then makes it current.</summary>
    public Task CommitAsync(ConversationLifecycle.Step step, TranscriptMessage? message = null) =>
        CommitAsync(step.Next, message, step.Transitions);

    /// <summary>
    /// Writes a step as <see cref="CommitAsync(ConversationLifecycle.Step, TranscriptMessage?)"/> does; if the write fails,
    /// <paramref name="undo"/> first takes back what was done elsewhere for it, then the failure is thrown.
    /// </summary>
    public async Task CommitAsync(ConversationLifecycle.Step step, TranscriptMessage? message, Func<Task> undo)
    {
        try
        {
            await CommitAsync(step, message);
        }
        catch
        {
            await undo();
            throw;
        }
    }

    /// <summary>Writes the record with what it appends (and any transition still owed), then makes it current.</summary>
    public async Task CommitAsync(ConversationRecord next, TranscriptMessage? message, IReadOnlyList<ConversationTransition> transitions)
    {
        await WrittenAsync(); // one write at a time, in order: an offer in flight goes first
        next = next with { UpdatedAt = clock.UtcNow };
        // The transitions still owed are the timeline's tail; the one before them is the last written.
        await ledger.SaveConversationAsync(
            workspace,
            new ConversationChange(next, [.. _unwritten, .. transitions], message is null ? [] : [message], PreviousWritten())
        );
        _unwritten.Clear();
        Apply(next, message, transitions);
    }

    /// <summary>
    /// Writes an internal note (docs/supervision.md), with any transition still owed; the record is written as it stands,
    /// its time of change untouched: a note is not the customer's or the agent's activity.
    /// </summary>
    public async Task CommitNoteAsync(ConversationNote note)
    {
        await WrittenAsync();
        var record = Record ?? throw new InvalidOperationException("No conversation to note.");
        await ledger.SaveConversationAsync(workspace, new ConversationChange(record, [.. _unwritten], [], PreviousWritten(), [note]));
        _unwritten.Clear();
        _notes.Add(note);
    }

    /// <summary>The conversation as the API shows it, with its place in line if it waits.</summary>
    public ConversationView View(QueuePosition? position)
    {
        var r = Record ?? throw new InvalidOperationException("No conversation to show.");
        return new ConversationView(
            r.ConversationId,
            r.State,
            r.Channel,
            r.QueueId,
            r.Customer,
            r.Priority,
            r.Skills,
            r.Attributes,
            r.AgentId,
            r.CreatedAt,
            position,
            [.. _timeline],
            r.Offers,
            [.. _transcript],
            r.Disposition,
            r.Rating,
            Notes: [.. _notes],
            WrapUpEndsAt: r.State == ConversationState.WrapUp ? r.WrapUpEndsAt : null
        );
    }

    /// <summary>The messages after <paramref name="lastSeen"/>, for a customer catching up.</summary>
    public IReadOnlyList<TranscriptMessage> MessagesAfter(long lastSeen) => [.. _transcript.Where(m => m.Sequence > lastSeen)];

    /// <summary>
    /// Writes an offer after the write before it; never throws, as nobody awaits it for an answer of its own. What it
    /// writes is taken after the write before it settled, so nothing is written twice; no other write starts
    /// meanwhile, as every write first waits for this one.
    /// </summary>
    private async Task WriteOfferAsync(Task before)
    {
        await before;
        var owed = _unwritten.Count;
        try
        {
            var change = new ConversationChange(Record!, [.. _unwritten], [], PreviousWritten());
            await ledger.SaveConversationAsync(workspace, change);
            _unwritten.RemoveRange(0, owed);
        }
        catch (Exception e)
        {
            Log.OfferWriteFailed(logger, e, conversationId);
        }
    }

    /// <summary>The last transition already written: the one before those still owed.</summary>
    private ConversationTransition? PreviousWritten() => _timeline.Count > _unwritten.Count ? _timeline[^(_unwritten.Count + 1)] : null;

    private void Apply(ConversationRecord next, TranscriptMessage? message, IReadOnlyList<ConversationTransition> transitions)
    {
        Record = next;
        _timeline.AddRange(transitions);
        if (message is not null)
        {
            _transcript.Add(message);
        }
        foreach (var t in transitions)
        {
            events.Publish(
                new ConversationStateChanged(
                    t.At,
                    workspace,
                    conversationId,
                    t.State,
                    t.AgentId,
                    t.QueueId ?? next.QueueId,
                    t.Reason,
                    next.Channel,
                    SpanClosedBy(t, next)
                )
            );
        }
        changed(new Change(next, message, transitions));
    }

    /// <summary>The span a transition closes, for the metrics (see <see cref="ConversationStateChanged.Seconds"/>).</summary>
    private double? SpanClosedBy(ConversationTransition t, ConversationRecord next)
    {
        var transferred = _timeline.Any(x => x.Reason == "transferred" && x.At <= t.At);
        var since = t.State switch
        {
            // After a transfer the wait since creation includes the first agent's talk: not a customer's wait.
            ConversationState.Offered or ConversationState.Connected when transferred => (DateTimeOffset?)null,
            ConversationState.Abandoned when SelfServiceStep.IsLeaving(t.Reason) => null, // no wait for a person
            ConversationState.Offered or ConversationState.Connected or ConversationState.Abandoned => next.WaitStart,
            // The self-service step's time: from the creation to the resolution or the escalation.
            ConversationState.Resolved => next.CreatedAt,
            ConversationState.Queued when SelfServiceStep.IsEscalation(t.Reason) => next.CreatedAt,
            ConversationState.WrapUp => next.ConnectedAt,
            ConversationState.Completed => _timeline.LastOrDefault(x => x.State == ConversationState.WrapUp)?.At,
            _ => null,
        };
        return since is { } s ? Math.Max(0, (t.At - s).TotalSeconds) : null;
    }
}
