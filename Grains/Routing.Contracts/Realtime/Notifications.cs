namespace Routing.Contracts.Realtime;

/// <summary>Something an agent's connected clients must be told. Delivered through the per-silo relay.</summary>
[GenerateSerializer, Immutable, Alias("routing.AgentNotification")]
public abstract record AgentNotification;

[GenerateSerializer, Immutable, Alias("routing.OfferArrived")]
public sealed record OfferArrived(OfferNotice Offer) : AgentNotification;

/// <summary>
/// The offer is gone: <c>accepted</c>, <c>declined</c>, <c>timed-out</c>, <c>withdrawn</c>, or <c>lost</c> — accepted, but
/// the acceptance was never written (the conversation's silo died) and the conversation went on without this agent.
/// </summary>
[GenerateSerializer, Immutable, Alias("routing.OfferEnded")]
public sealed record OfferEnded(string ConversationId, string Reason) : AgentNotification;

/// <summary>A conversation the agent holds changed state (connected, wrap-up, completed, transferred away).</summary>
[GenerateSerializer, Immutable, Alias("routing.AssignmentChanged")]
public sealed record AssignmentChanged(string ConversationId, ConversationState State, string? Reason) : AgentNotification;

[GenerateSerializer, Immutable, Alias("routing.AgentMessageArrived")]
public sealed record AgentMessageArrived(string ConversationId, TranscriptMessage Message) : AgentNotification;

/// <summary>A note the agent sees: a supervisor's whisper, or a supervisor barging in (docs/supervision.md).</summary>
[GenerateSerializer, Immutable, Alias("routing.AgentNoteArrived")]
public sealed record AgentNoteArrived(string ConversationId, ConversationNote Note) : AgentNotification;

/// <summary>The customer is typing in a conversation the agent holds (transient: nothing is written).</summary>
[GenerateSerializer, Immutable, Alias("routing.CustomerTypingNotice")]
public sealed record CustomerTypingNotice(string ConversationId) : AgentNotification;

[GenerateSerializer, Immutable, Alias("routing.AgentStatusNotice")]
public sealed record AgentStatusNotice(AgentStatus Status, string? Reason) : AgentNotification;

/// <summary>Something a customer's connected widgets must be told.</summary>
[GenerateSerializer, Immutable, Alias("routing.CustomerNotification")]
public abstract record CustomerNotification;

[GenerateSerializer, Immutable, Alias("routing.PositionNotice")]
public sealed record PositionNotice(QueuePosition Position) : CustomerNotification;

/// <summary>An agent joined (by display name only), or the conversation went back to waiting (null).</summary>
[GenerateSerializer, Immutable, Alias("routing.AgentJoinedNotice")]
public sealed record AgentJoinedNotice(string? AgentName) : CustomerNotification
{
    /// <summary>Without the agent's name (see <see cref="Customer"/>).</summary>
    public override string ToString() => $"AgentJoinedNotice {{ Joined = {AgentName is not null} }}";
}

[GenerateSerializer, Immutable, Alias("routing.CustomerMessageArrived")]
public sealed record CustomerMessageArrived(TranscriptMessage Message) : CustomerNotification;

/// <summary>The conversation ended: WrapUp/Completed (the agent finished) or Abandoned.</summary>
[GenerateSerializer, Immutable, Alias("routing.ConversationEndedNotice")]
public sealed record ConversationEndedNotice(ConversationState State) : CustomerNotification;

/// <summary>The agent is typing (transient: nothing is written).</summary>
[GenerateSerializer, Immutable, Alias("routing.AgentTypingNotice")]
public sealed record AgentTypingNotice : CustomerNotification;

/// <summary>A supervisor joined the conversation (docs/supervision.md), by the name the customer sees.</summary>
[GenerateSerializer, Immutable, Alias("routing.SupervisorJoinedNotice")]
public sealed record SupervisorJoinedNotice(string Supervisor) : CustomerNotification;

/// <summary>Something the supervisors monitoring a conversation must be told (docs/supervision.md).</summary>
[GenerateSerializer, Immutable, Alias("routing.MonitorNotification")]
public abstract record MonitorNotification(string ConversationId);

[GenerateSerializer, Immutable, Alias("routing.MonitoredMessage")]
public sealed record MonitoredMessage(string ConversationId, TranscriptMessage Message) : MonitorNotification(ConversationId);

[GenerateSerializer, Immutable, Alias("routing.MonitoredNote")]
public sealed record MonitoredNote(string ConversationId, ConversationNote Note) : MonitorNotification(ConversationId);

/// <summary>The monitored conversation entered <see cref="State"/>, held by <see cref="AgentId"/> if anyone.</summary>
[GenerateSerializer, Immutable, Alias("routing.MonitoredChange")]
public sealed record MonitoredChange(string ConversationId, ConversationState State, string? AgentId) : MonitorNotification(ConversationId);
