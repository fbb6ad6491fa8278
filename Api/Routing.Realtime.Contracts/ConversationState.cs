namespace Routing.Contracts;

/// <summary>
/// The lifecycle of a conversation (docs/conversations.md, "States"):
/// Created → Queued → Offered → Connected → WrapUp → Completed, with declines, timeouts and transfers
/// returning it to Queued, and Abandoned when the customer leaves before connection. In a queue with a self-service
/// step (docs/self-service.md) a chat starts in SelfService instead, and either ends Resolved (by self-service) or is
/// escalated to Queued.
/// </summary>
public enum ConversationState
{
    Created = 0,
    Queued = 1,
    Offered = 2,
    Connected = 3,
    WrapUp = 4,
    Completed = 5,
    Abandoned = 6,
    SelfService = 7,
    Resolved = 8,
}

public static class ConversationStates
{
    /// <summary>Completed, Abandoned and Resolved are final: nothing moves a conversation out of them.</summary>
    public static bool IsFinal(this ConversationState state) =>
        state is ConversationState.Completed or ConversationState.Abandoned or ConversationState.Resolved;

    /// <summary>Queued or Offered: the customer is still waiting for an agent.</summary>
    public static bool IsWaiting(this ConversationState state) => state is ConversationState.Queued or ConversationState.Offered;
}
