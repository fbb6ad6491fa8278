namespace Routing.Contracts;

/// <summary>
/// References to the routing grains. <c>IGrainFactory.GetGrain&lt;T&gt;(…)</c> resolves the grain interface's type id
/// by reflection on every call — measured at a sixth of the routing engine's CPU under load, as the queue makes
/// a reference per offer — so the grain types and interface types are resolved once here and references are
/// made from ids.
/// </summary>
public static class GrainReferences
{
    private static readonly GrainType QueueType = GrainType.Create("queue");
    private static readonly GrainType AgentType = GrainType.Create("agent");
    private static readonly GrainType ConversationType = GrainType.Create("conversation");
    private static GrainInterfaceType? _queueInterface;
    private static GrainInterfaceType? _agentInterface;
    private static GrainInterfaceType? _conversationInterface;

    public static IQueueGrain Queue(this IGrainFactory grains, string workspace, string queueId) =>
        Get<IQueueGrain>(grains, GrainId.Create(QueueType, GrainKeys.For(workspace, queueId)), ref _queueInterface);

    public static IAgentGrain Agent(this IGrainFactory grains, string workspace, string agentId) =>
        Get<IAgentGrain>(grains, GrainId.Create(AgentType, GrainKeys.For(workspace, agentId)), ref _agentInterface);

    public static IConversationGrain Conversation(this IGrainFactory grains, string workspace, string conversationId) =>
        Get<IConversationGrain>(grains, GrainId.Create(ConversationType, GrainKeys.For(workspace, conversationId)), ref _conversationInterface);

    private static T Get<T>(IGrainFactory grains, GrainId id, ref GrainInterfaceType? interfaceType)
        where T : IAddressable
    {
        if (interfaceType is { } known)
        {
            return (T)grains.GetGrain(id, known);
        }
        var reference = grains.GetGrain<T>(id); // the slow path, once: it tells us the interface's type id
        interfaceType = ((GrainReference)(object)reference).InterfaceType;
        return reference;
    }
}
