using Routing.Contracts.Realtime;

namespace Routing.Contracts;

/// <summary>
/// One conversation, keyed <c>{workspace}/{conversationId}</c>: the authority on its state (docs/conversations.md), its
/// offers and its transcript. It is offered to one agent at a time, never two.
/// </summary>
[Alias("routing.IConversationGrain")]
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>Creates the conversation, durably, and puts it in its queue's line.</summary>
    [Alias("Start")]
    Task<ConversationView> StartAsync(StartConversation request);

    /// <summary>The conversation with its timeline, transcript and, while it waits, its position.</summary>
    [Alias("Get")]
    Task<ConversationView> GetAsync();

    [Alias("Accept")]
    Task<ConversationView> AcceptAsync(string agentId);

    [Alias("Decline")]
    Task<ConversationView> DeclineAsync(string agentId);

    /// <summary>
    /// Appends a message to the transcript: from the customer, from the agent it is connected with, or from a supervisor
    /// who barged in (<paramref name="agentId"/> names them).
    /// </summary>
    [Alias("AddMessage")]
    Task<TranscriptMessage> AddMessageAsync(string from, string? agentId, string text);

    /// <summary>The agent ends the conversation with a disposition code; its slot goes into wrap-up.</summary>
    [Alias("Complete")]
    Task<ConversationView> CompleteAsync(string agentId, string? disposition);

    /// <summary>
    /// The agent is done wrapping up before the queue's wrap-up time is over: Completed now, the slot free. Asked again
    /// once Completed by the same agent, the same answer.
    /// </summary>
    [Alias("FinishWrapUp")]
    Task<ConversationView> FinishWrapUpAsync(string agentId);

    /// <summary>Back into line in another queue, keeping the original creation time for wait accounting.</summary>
    [Alias("TransferToQueue")]
    Task<ConversationView> TransferToQueueAsync(string agentId, string queueId);

    /// <summary>Offered directly to another agent, who alone may accept it.</summary>
    [Alias("TransferToAgent")]
    Task<ConversationView> TransferToAgentAsync(string agentId, string toAgentId);

    /// <summary>The customer left before being connected.</summary>
    [Alias("Abandon")]
    Task<ConversationView> AbandonAsync();

    /// <summary>
    /// The customer's satisfaction score, 1–5, once the agent has completed the conversation, with an optional comment; a
    /// low one opens a follow-up where the queue says (docs/conversations.md, "Feedback routed back").
    /// </summary>
    [Alias("Rate")]
    Task<ConversationView> RateAsync(int score, string? comment);

    /// <summary>From the self-service step, the customer asks for a person: the conversation enters its queue's line
    /// (docs/self-service.md).</summary>
    [Alias("Escalate")]
    Task<ConversationView> EscalateAsync();

    /// <summary>From the self-service step, the customer takes an article the bot gave as their answer: Resolved.</summary>
    [Alias("Resolve")]
    Task<ConversationView> ResolveAsync(string articleId);

    /// <summary>
    /// In the self-service step, the knowledge base's good answers to what the customer is typing (at most three, best
    /// first): nothing is written. It reads the conversation's state only, so it runs beside the grain's other calls rather
    /// than holding a customer's message or a queue's offer behind the search.
    /// </summary>
    [Alias("Suggest"), Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<Routing.Contracts.Knowledge.Suggestion>> SuggestAsync(string text);

    /// <summary>A supervisor moves the waiting conversation to another queue; it keeps its creation time.</summary>
    [Alias("MoveToQueue")]
    Task<ConversationView> MoveToQueueAsync(string queueId);

    /// <summary>
    /// A supervisor opens the conversation (docs/supervision.md): a <c>monitor</c> note is written when the connection is new
    /// (or with none: a REST read), and the connection, in the silo of <paramref name="relay"/>, hears what follows.
    /// </summary>
    [Alias("Monitor")]
    Task<ConversationView> MonitorAsync(string supervisor, string? connectionId, IRealtimeRelay? relay);

    [Alias("StopMonitoring")]
    Task StopMonitoringAsync(string connectionId);

    /// <summary>The relay of a silo says these monitoring connections are still open.</summary>
    [Alias("RenewMonitors")]
    Task RenewMonitorsAsync(IReadOnlyList<string> connectionIds, IRealtimeRelay relay);

    /// <summary>A supervisor's note to the agent alone; the conversation must be connected.</summary>
    [Alias("Whisper")]
    Task<ConversationNote> WhisperAsync(string supervisor, string text);

    /// <summary>A supervisor joins the connected conversation visibly; then they may write as <c>supervisor</c>.</summary>
    [Alias("BargeIn")]
    Task<ConversationView> BargeInAsync(string supervisor);

    /// <summary>A private note: by its agent (<paramref name="agentId"/>) while it holds it, or by a supervisor (null).</summary>
    [Alias("AddNote")]
    Task<ConversationNote> AddNoteAsync(string by, string? agentId, string text);

    /// <summary>
    /// The customer's earlier conversations in the workspace, newest first, without this one (docs/conversations.md, "The
    /// customer at the desk"). A read of the ledger that changes nothing, so it runs beside the grain's other calls.
    /// </summary>
    [Alias("CustomerHistory"), Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<PastConversation>> GetCustomerHistoryAsync(int limit);

    /// <summary>
    /// The customer (<paramref name="agentId"/> null) or the agent connected with the conversation is typing: the other side
    /// is told, while connected; nothing is written. Beside the grain's other calls, as it changes nothing.
    /// </summary>
    [Alias("Typing"), Orleans.Concurrency.AlwaysInterleave]
    Task TypingAsync(string? agentId);

    /// <summary>A customer's realtime connection opened in the silo of <paramref name="relay"/>.</summary>
    [Alias("ConnectCustomer")]
    Task ConnectCustomerAsync(string connectionId, IRealtimeRelay relay);

    [Alias("DisconnectCustomer")]
    Task DisconnectCustomerAsync(string connectionId);

    /// <summary>The relay of a silo says these customer connections are still open.</summary>
    [Alias("RenewCustomers")]
    Task RenewCustomersAsync(IReadOnlyList<string> connectionIds, IRealtimeRelay relay);

    /// <summary>The customer's view: state, position, the agent's display name, the transcript after <paramref name="lastSeen"/>.</summary>
    [Alias("GetCustomerSnapshot")]
    Task<CustomerSnapshot> GetCustomerSnapshotAsync(long lastSeen);
}
