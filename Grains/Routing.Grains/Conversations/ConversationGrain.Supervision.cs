using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// A supervisor's side of the conversation (docs/supervision.md): monitor, whisper, barge-in; and the desk's: private notes
/// and the customer's history (docs/conversations.md, "The customer at the desk").
/// </summary>
public sealed partial class ConversationGrain
{
    public async Task<ConversationNote> AddNoteAsync(string by, string? agentId, string text)
    {
        var record = Current;
        var note = Supervision.Note(record, _journal.Notes, by, agentId, text, _options, _clock.UtcNow);
        await NoteAsync(record, note);
        return note;
    }

    public async Task<IReadOnlyList<PastConversation>> GetCustomerHistoryAsync(int limit)
    {
        var record = Current;
        var past = await _ledger.ListCustomerConversationsAsync(_workspace, record.Customer.Id, limit + 1);
        return [.. past.Where(p => p.ConversationId != _conversationId).Take(limit)];
    }

    public async Task<ConversationView> MonitorAsync(string supervisor, string? connectionId, IRealtimeRelay? relay)
    {
        var record = Current;
        var opened = connectionId is null || !_monitors.Knows(connectionId);
        if (opened && Supervision.Monitor(_journal.Notes, supervisor, _options, _clock.UtcNow) is { } note)
        {
            await NoteAsync(record, note);
        }
        if (connectionId is not null && relay is not null)
        {
            _monitors.Connect(connectionId, relay);
        }
        return await GetAsync();
    }

    public Task StopMonitoringAsync(string connectionId)
    {
        _monitors.Disconnect(connectionId);
        return Task.CompletedTask;
    }

    public Task RenewMonitorsAsync(IReadOnlyList<string> connectionIds, IRealtimeRelay relay)
    {
        _monitors.Renew(connectionIds, relay);
        return Task.CompletedTask;
    }

    public async Task<ConversationNote> WhisperAsync(string supervisor, string text)
    {
        var record = Current;
        var note = Supervision.Whisper(record, _journal.Notes, supervisor, text, _options, _clock.UtcNow);
        await NoteAsync(record, note);
        return note;
    }

    public async Task<ConversationView> BargeInAsync(string supervisor)
    {
        var record = Current;
        if (Supervision.BargeIn(record, _journal.Notes, supervisor, _options, _clock.UtcNow) is { } note)
        {
            await NoteAsync(record, note);
            _parties.SupervisorJoined(supervisor);
        }
        return await GetAsync();
    }

    /// <summary>Writes a note, then the monitors hear it, and the agent holding the conversation if it is one agents see.</summary>
    private async Task NoteAsync(ConversationRecord record, ConversationNote note)
    {
        await _journal.CommitNoteAsync(note);
        _monitors.Noted(note);
        if (note.ForAgent && record is { State: ConversationState.Connected, AgentId: { } holder })
        {
            _calls.Notify(holder, new AgentNoteArrived(_conversationId, note));
        }
    }

    /// <summary>
    /// The customer's rating, with its comment kept as a note; a low one opens a follow-up where the queue says, linked both
    /// ways (docs/conversations.md, "Feedback routed back"). The rating stands whatever becomes of the follow-up.
    /// </summary>
    public async Task<ConversationView> RateAsync(int score, string? comment)
    {
        var record = Current;
        var step = ConversationLifecycle.Rate(record, score);
        var words = FeedbackRouting.Comment(comment, _options);
        await _journal.CommitAsync(step);
        var now = _clock.UtcNow;
        if (
            words is not null
            && FeedbackRouting.Note(_journal.Notes, ConversationNote.Feedback, "customer", words, _options, now) is { } said
        )
        {
            await NoteAsync(record, said);
        }
        var rule = score <= FeedbackRule.MaxRating ? (await _calls.QueueDefinitionAsync(record.QueueId))?.Feedback : null;
        if (FeedbackRouting.FollowUp(step.Next, score, words, rule, _options) is { } request)
        {
            var id = FeedbackRouting.FollowUpId(_conversationId);
            try
            {
                await GrainFactory.Conversation(_workspace, id).StartAsync(request);
                if (FeedbackRouting.Note(_journal.Notes, ConversationNote.FollowUp, "system", id, _options, _clock.UtcNow) is { } link)
                {
                    await NoteAsync(step.Next, link);
                }
            }
            catch (Exception e)
            {
                Log.FollowUpFailed(_logger, e, _conversationId, request.QueueId);
            }
        }
        return _journal.View(null);
    }
}
