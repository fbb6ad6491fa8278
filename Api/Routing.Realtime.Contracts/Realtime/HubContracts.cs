namespace Routing.Contracts.Realtime;

/// <summary>
/// What the agent hub (<c>/hubs/agent?agentId=…</c>) pushes to an agent's clients. A push may come again (after a
/// silo's death the agent's grain, activated afresh, tells its connections its whole state once more): clients
/// key offers and assignments by conversation, so a repeat changes nothing. An assignment is announced only
/// once it is written; an offer accepted but never written ends with <c>OfferEnded(…, "lost")</c>.
/// </summary>
public interface IAgentClient
{
    Task OfferReceived(OfferNotice offer);

    Task OfferEnded(string conversationId, string reason);

    Task AssignmentChanged(string conversationId, ConversationState state, string? reason);

    Task MessageReceived(string conversationId, TranscriptMessage message);

    /// <summary>A supervisor's whisper or barge-in (docs/supervision.md): internal, never the customer's to see.</summary>
    Task NoteReceived(string conversationId, ConversationNote note);

    Task StatusChanged(AgentStatus status, string? reason);

    /// <summary>The customer is typing in a conversation the agent holds (at most every few seconds; nothing is kept).</summary>
    Task CustomerTyping(string conversationId);
}

/// <summary>
/// What an agent's client may call on <c>/hubs/agent</c>. After every (re)connect a client calls
/// <see cref="Resync"/> with the last message sequence it saw per conversation.
/// </summary>
public interface IAgentHub
{
    Task<AgentSnapshot> Resync(IReadOnlyDictionary<string, long>? lastSeen);

    Task<AgentView> SetStatus(AgentStatus status, string? reason);

    Task<ConversationView> Accept(string conversationId);

    Task<ConversationView> Decline(string conversationId);

    Task<TranscriptMessage> SendMessage(string conversationId, string text);

    Task<ConversationView> Complete(string conversationId, string? disposition);

    /// <summary>Done wrapping up before the queue's wrap-up time is over: Completed now, the slot free.</summary>
    Task<ConversationView> FinishWrapUp(string conversationId);

    /// <summary>A private note on a conversation the agent holds (docs/conversations.md, "The customer at the desk").</summary>
    Task<ConversationNote> AddNote(string conversationId, string text);

    /// <summary>The agent is typing in a conversation it is connected with: its customer is told; nothing is kept.</summary>
    Task Typing(string conversationId);

    Task<ConversationView> TransferToQueue(string conversationId, string queueId);

    Task<ConversationView> TransferToAgent(string conversationId, string agentId);
}

/// <summary>What the customer hub (<c>/hubs/customer?token=…</c>) pushes to a customer's widgets.</summary>
public interface ICustomerClient
{
    Task PositionChanged(QueuePosition position);

    Task AgentJoined(string? agentName);

    Task MessageReceived(TranscriptMessage message);

    Task ConversationEnded(ConversationState state);

    /// <summary>A supervisor joined the conversation (docs/supervision.md); their messages follow as <c>supervisor</c>'s.</summary>
    Task SupervisorJoined(string supervisor);

    /// <summary>The agent is typing (at most every few seconds; nothing is kept).</summary>
    Task AgentTyping();
}

/// <summary>What a customer's widget may call on <c>/hubs/customer</c>; the conversation comes from the token.</summary>
public interface ICustomerHub
{
    Task<CustomerSnapshot> Resync(long lastSeen);

    Task<TranscriptMessage> SendMessage(string text);

    Task<CustomerSnapshot> Leave();

    /// <summary>1–5 once the conversation is completed, with an optional comment (docs/conversations.md, "Feedback routed back").</summary>
    Task<CustomerSnapshot> Rate(int score, string? comment);

    /// <summary>From the self-service step: the customer asks for a person (docs/self-service.md).</summary>
    Task<CustomerSnapshot> Escalate();

    /// <summary>From the self-service step: the customer takes the article the bot gave as their answer.</summary>
    Task<CustomerSnapshot> Resolve(string articleId);

    /// <summary>In the self-service step: the good answers to what the customer is typing, before it is sent.</summary>
    Task<IReadOnlyList<Routing.Contracts.Knowledge.Suggestion>> Suggest(string text);

    /// <summary>The customer is typing: the agent connected with the conversation is told; nothing is kept.</summary>
    Task Typing();

    /// <summary>A fresh customer token (the widget renews its token well before it runs out, while the conversation lives).</summary>
    Task<string> RenewToken();
}

/// <summary>What the supervisor hub (<c>/hubs/supervisor</c>) pushes: statistics once a second, status changes as they happen.</summary>
public interface ISupervisorClient
{
    Task QueueStatsUpdated(QueueStats stats);

    Task AgentStatusChanged(AgentStatusChanged change);

    /// <summary>Agents' slots in use per channel changed (at most once a second per queue).</summary>
    Task AgentLoadsChanged(IReadOnlyList<AgentLoadChanged> changes);

    /// <summary>A message in a conversation this connection monitors (<see cref="ISupervisorHub.Monitor"/>).</summary>
    Task MonitoredMessage(string conversationId, TranscriptMessage message);

    /// <summary>A note (whisper, monitor, barge-in) in a conversation this connection monitors.</summary>
    Task MonitoredNote(string conversationId, ConversationNote note);

    /// <summary>A conversation this connection monitors changed state (or agent).</summary>
    Task MonitoredChange(string conversationId, ConversationState state, string? agentId);
}

/// <summary>What a supervisor may call on <c>/hubs/supervisor</c>.</summary>
public interface ISupervisorHub
{
    Task<SupervisorSnapshot> Resync();

    /// <summary>A queue's drill-down: the conversations waiting in it, first in line first.</summary>
    Task<IReadOnlyList<WaitingView>> Waiting(string queueId);

    Task<AgentView> SetAgentStatus(string agentId, AgentStatus status, string? reason);

    Task<ConversationView> MoveConversation(string conversationId, string toQueueId);

    /// <summary>
    /// Opens a conversation of the workspace live, read-only (docs/supervision.md): answers it whole, notes included, and
    /// from then on pushes its messages, notes and changes to this connection. Recorded as a <c>monitor</c> note; the agent
    /// is not told.
    /// </summary>
    Task<ConversationView> Monitor(string conversationId);

    Task StopMonitoring(string conversationId);

    /// <summary>A note to the agent alone, never shown or sent to the customer; the conversation must be connected.</summary>
    Task<ConversationNote> Whisper(string conversationId, string text);

    /// <summary>Joins the connected conversation visibly: the customer is told, and <see cref="SendMessage"/> is allowed.</summary>
    Task<ConversationView> BargeIn(string conversationId);

    /// <summary>A message to the customer and the agent, after <see cref="BargeIn"/>.</summary>
    Task<TranscriptMessage> SendMessage(string conversationId, string text);
}
