namespace Routing.Contracts;

/// <summary>
/// References to the routing grains. <c>IGrainFactory.GetGrain&lt;T&gt;(…)</c> resolves the grain interface's type id
/// by reflection on every call — measured at a sixth of the routing engine's CPU under load, as the queue makes
/// a reference per offer — so each interface's grain type and interface type are resolved once, by the first
/// reference to it, and every later reference is made from ids.
/// </summary>
public static class GrainReferences
{
    public static IQueueGrain Queue(this IGrainFactory grains, string workspace, string queueId) =>
        grains.Grain<IQueueGrain>(GrainKeys.For(workspace, queueId));

    public static IAgentGrain Agent(this IGrainFactory grains, string workspace, string agentId) =>
        grains.Grain<IAgentGrain>(GrainKeys.For(workspace, agentId));

    public static IConversationGrain Conversation(this IGrainFactory grains, string workspace, string conversationId) =>
        grains.Grain<IConversationGrain>(GrainKeys.For(workspace, conversationId));

    /// <summary>
    /// A reference to the grain of interface <typeparamref name="T"/> keyed by <paramref name="key"/>, made the way
    /// <c>GetGrain&lt;T&gt;(key)</c> makes it but without its reflection after the first call for each interface.
    /// </summary>
    public static T Grain<T>(this IGrainFactory grains, string key)
        where T : IGrainWithStringKey
    {
        if (Resolved<T>.Types is { } known)
        {
            return (T)grains.GetGrain(GrainId.Create(known.Grain, key), known.Interface);
        }
        var reference = grains.GetGrain<T>(key); // the slow path, once: it tells us both type ids
        var resolved = (GrainReference)(object)reference;
        Resolved<T>.Types = new GrainTypes(resolved.GrainId.Type, resolved.InterfaceType);
        return reference;
    }

    /// <summary>A grain's reference to itself (<c>AsReference&lt;T&gt;()</c> without the reflection).</summary>
    public static T Self<T>(this IGrainFactory grains, IAddressable grain)
        where T : IGrainWithStringKey => grains.Grain<T>(grain.GetPrimaryKeyString());

    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface);

    /// <summary>What the first reference to a <typeparamref name="T"/> told: set once, read without a lock (a reference is published
    /// whole).</summary>
    private static class Resolved<T>
    {
        public static GrainTypes? Types;
    }
}
