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

    /// <summary>Called by a queue: offer the conversation to the agent, if it still waits and the agent has room.</summary>
    [Alias("OfferTo")]
    Task<OfferAttempt> OfferToAsync(string agentId, string viaQueueId, int offerTimeoutSeconds);

    [Alias("Accept")]
    Task<ConversationView> AcceptAsync(string agentId);

    [Alias("Decline")]
    Task<ConversationView> DeclineAsync(string agentId);

    /// <summary>Appends a message to the transcript: from the customer, or from the agent it is connected with.</summary>
    [Alias("AddMessage")]
    Task<TranscriptMessage> AddMessageAsync(string from, string? agentId, string text);

    /// <summary>The agent ends the conversation with a disposition code; its slot goes into wrap-up.</summary>
    [Alias("Complete")]
    Task<ConversationView> CompleteAsync(string agentId, string? disposition);

    /// <summary>Back into line in another queue, keeping the original creation time for wait accounting.</summary>
    [Alias("TransferToQueue")]
    Task<ConversationView> TransferToQueueAsync(string agentId, string queueId);

    /// <summary>Offered directly to another agent, who alone may accept it.</summary>
    [Alias("TransferToAgent")]
    Task<ConversationView> TransferToAgentAsync(string agentId, string toAgentId);

    /// <summary>The customer left before being connected.</summary>
    [Alias("Abandon")]
    Task<ConversationView> AbandonAsync();

    /// <summary>The customer's satisfaction score, 1–5, once the agent has completed the conversation.</summary>
    [Alias("Rate")]
    Task<ConversationView> RateAsync(int score);

    /// <summary>The offer made under <paramref name="offerToken"/> was not answered in time.</summary>
    [Alias("OfferExpired")]
    Task OfferExpiredAsync(long offerToken);

    /// <summary>The wrap-up begun under <paramref name="token"/> is over.</summary>
    [Alias("WrapUpEnded")]
    Task WrapUpEndedAsync(long token);

    /// <summary>The agent the conversation was offered to left Available; the offer goes back to line.</summary>
    [Alias("OfferWithdrawn"), Orleans.Concurrency.OneWay]
    Task OfferWithdrawnAsync(string agentId);

    /// <summary>A supervisor moves the waiting conversation to another queue; it keeps its creation time.</summary>
    [Alias("MoveToQueue")]
    Task<ConversationView> MoveToQueueAsync(string queueId);

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

    /// <summary>The queue's new figure for this conversation's place in line, for its watching customers.</summary>
    [Alias("PositionChanged"), Orleans.Concurrency.OneWay]
    Task PositionChangedAsync(QueuePosition position);

    /// <summary>Activates the conversation so it re-arms its timers after a restart.</summary>
    [Alias("Wake")]
    Task WakeAsync();
}
