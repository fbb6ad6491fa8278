using Routing.Contracts;
using Routing.Grains.Agents;
using Routing.Grains.Conversations;
using Routing.Grains.Queues;

namespace Routing.Grains;

/// <summary>References to the grains for what they ask of each other (their callback interfaces), made like <see
/// cref="GrainReferences"/>.</summary>
public static class CallbackReferences
{
    public static IQueueCallbacks QueueCallbacks(this IGrainFactory grains, string workspace, string queueId) =>
        grains.Grain<IQueueCallbacks>(GrainKeys.For(workspace, queueId));

    public static IAgentCallbacks AgentCallbacks(this IGrainFactory grains, string workspace, string agentId) =>
        grains.Grain<IAgentCallbacks>(GrainKeys.For(workspace, agentId));

    public static IConversationCallbacks ConversationCallbacks(this IGrainFactory grains, string workspace, string conversationId) =>
        grains.Grain<IConversationCallbacks>(GrainKeys.For(workspace, conversationId));
}
