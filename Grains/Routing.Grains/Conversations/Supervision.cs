using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// The rules of supervising a live conversation (docs/supervision.md), as pure functions: what a supervisor's monitor,
/// whisper and barge-in write as internal notes (<see cref="ConversationNote"/>), and when a supervisor may write to the
/// customer. <see cref="ConversationGrain"/> writes what they answer and tells whom it concerns.
/// </summary>
public static class Supervision
{
    /// <summary>The note recording that <paramref name="by"/> opened the conversation live; none when the notes are full.</summary>
    public static ConversationNote? Monitor(IReadOnlyList<ConversationNote> notes, string by, RoutingOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(options);
        return notes.Count >= options.MaxTranscriptMessages
            ? null
            : new ConversationNote(notes.Count + 1, now, ConversationNote.Monitor, by, "");
    }

    /// <summary>A whisper to the agent: only while an agent is connected with the conversation, within the message limits.</summary>
    public static ConversationNote Whisper(
        ConversationRecord record,
        IReadOnlyList<ConversationNote> notes,
        string by,
        string text,
        RoutingOptions options,
        DateTimeOffset now
    )
    {
        ArgumentNullException.ThrowIfNull(text);
        RequireRoom(RequireConnected(record, "whispered in"), notes, options);
        ConversationLifecycle.RequireMessageLength(text, options);
        return new ConversationNote(notes.Count + 1, now, ConversationNote.Whisper, by, text);
    }

    /// <summary>
    /// The note of <paramref name="by"/> joining the connected conversation; null when they already have (joining again
    /// changes nothing).
    /// </summary>
    public static ConversationNote? BargeIn(
        ConversationRecord record,
        IReadOnlyList<ConversationNote> notes,
        string by,
        RoutingOptions options,
        DateTimeOffset now
    )
    {
        RequireConnected(record, "joined");
        if (Joined(notes) is { } joined && joined.Contains(by))
        {
            return null;
        }
        RequireRoom(record, notes, options);
        return new ConversationNote(notes.Count + 1, now, ConversationNote.BargeIn, by, "");
    }

    /// <summary>
    /// A private note on the conversation: by its agent while it holds it (connected or in wrap-up; <paramref name="agentId"/>
    /// names the agent), or by a supervisor (<paramref name="agentId"/> null) at any time.
    /// </summary>
    public static ConversationNote Note(
        ConversationRecord record,
        IReadOnlyList<ConversationNote> notes,
        string by,
        string? agentId,
        string text,
        RoutingOptions options,
        DateTimeOffset now
    )
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(text);
        if (
            agentId is not null
            && (record.AgentId != agentId || record.State is not (ConversationState.Connected or ConversationState.WrapUp))
        )
        {
            throw RoutingException.Conflict(
                "not-connected",
                $"Agent '{agentId}' does not hold conversation '{record.ConversationId}'.",
                "agentId"
            );
        }
        RequireRoom(record, notes, options);
        ConversationLifecycle.RequireMessageLength(text, options);
        return new ConversationNote(notes.Count + 1, now, ConversationNote.Private, by, text);
    }

    /// <summary>Who barged in, in the order they joined.</summary>
    public static IReadOnlyList<string> Joined(IReadOnlyList<ConversationNote> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        return [.. notes.Where(n => n.Kind == ConversationNote.BargeIn).Select(n => n.By).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A supervisor writes to the customer once joined, while an agent is connected: answers the name messages carry.</summary>
    public static string RequireJoined(ConversationRecord record, IReadOnlyList<ConversationNote> notes, string? by)
    {
        RequireConnected(record, "written in by a supervisor");
        return by is not null && Joined(notes).Contains(by)
            ? by
            : throw RoutingException.Conflict(
                "not-joined",
                $"Join conversation '{record.ConversationId}' (barge in) before writing in it.",
                "conversationId"
            );
    }

    private static ConversationRecord RequireConnected(ConversationRecord record, string what)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.State == ConversationState.Connected
            ? record
            : throw RoutingException.Conflict(
                "conversation-not-connected",
                $"Conversation '{record.ConversationId}' is {record.State}; only a connected conversation can be {what}."
            );
    }

    private static void RequireRoom(ConversationRecord record, IReadOnlyList<ConversationNote> notes, RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(options);
        if (notes.Count >= options.MaxTranscriptMessages)
        {
            throw new RoutingException(
                RoutingErrorKind.TooLarge,
                "notes-full",
                $"Conversation '{record.ConversationId}' holds {options.MaxTranscriptMessages} notes, as many as a transcript's messages.",
                "text"
            );
        }
    }
}
