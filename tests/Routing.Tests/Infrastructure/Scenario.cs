using Routing.Contracts;
using Routing.Grains.Agents;
using Routing.Grains.Conversations;
using Routing.Grains.Queues;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// One test's corner of the shared cluster: its own workspace, and short ways to define queues and agents,
/// start conversations and wait for what routing does with them.
/// </summary>
public sealed class Scenario(RoutingClusterFixture cluster)
{
    private static int _count;

    public string Workspace { get; } = $"t{Interlocked.Increment(ref _count)}";

    public RoutingClusterFixture Cluster { get; } = cluster;

    public DateTimeOffset Now => Cluster.Time.GetUtcNow();

    public IQueueCallbacks Queue(string id) => Cluster.Grains.GetGrain<IQueueCallbacks>(GrainKeys.For(Workspace, id));

    public IAgentCallbacks Agent(string id) => Cluster.Grains.GetGrain<IAgentCallbacks>(GrainKeys.For(Workspace, id));

    public IConversationCallbacks Conversation(string id) => Cluster.Grains.GetGrain<IConversationCallbacks>(GrainKeys.For(Workspace, id));

    public Task<QueueInfo> DefineQueue(
        string id,
        string selection = "longest-idle",
        double agingPerSecond = 0,
        int wrapUpSeconds = 0,
        int offerTimeoutSeconds = 15,
        OverflowRule? overflow = null,
        int? maxLength = null
    ) =>
        Queue(id)
            .DefineAsync(
                new QueueDefinition(
                    id,
                    ServiceLevelGoal.Default,
                    selection,
                    agingPerSecond,
                    new Dictionary<string, int> { ["chat"] = wrapUpSeconds, ["email"] = wrapUpSeconds },
                    offerTimeoutSeconds,
                    overflow,
                    maxLength
                )
            );

    public Task<AgentView> DefineAgent(
        string id,
        string[] queues,
        int chat = 3,
        int? maxTotal = null,
        Dictionary<string, int>? skills = null,
        int email = 5
    ) =>
        Agent(id)
            .DefineAsync(
                new AgentDefinition(
                    id,
                    skills ?? [],
                    new Dictionary<string, int>
                    {
                        ["chat"] = chat,
                        ["email"] = email,
                        ["voice"] = 1,
                    },
                    maxTotal,
                    queues.Select((q, i) => new QueueMembership(q, i + 1)).ToList()
                )
            );

    public Task<AgentView> Available(string agentId) => Agent(agentId).SetStatusAsync(AgentStatus.Available, null);

    public async Task<string> Start(
        string queueId,
        string tier = "standard",
        int? priority = null,
        string channel = "chat",
        params SkillRequirementStep[] skills
    )
    {
        var id = Guid.CreateVersion7().ToString("N");
        var basePriority = priority ?? RoutingOptions.DefaultTierPriorities[tier];
        await Conversation(id)
            .StartAsync(
                new StartConversation(
                    channel,
                    queueId,
                    new Customer("cust-" + id[^6..], null, tier),
                    basePriority,
                    skills,
                    new Dictionary<string, string>(),
                    null
                )
            );
        return id;
    }

    /// <summary>Waits until the conversation is offered (to anyone, or to <paramref name="agentId"/>) and returns to whom.</summary>
    public async Task<string> Offered(string conversationId, string? agentId = null) =>
        (
            await Cluster.Events.WaitAsync<ConversationStateChanged>(
                Workspace,
                e => e.ConversationId == conversationId && e.State == ConversationState.Offered && (agentId is null || e.AgentId == agentId)
            )
        ).AgentId!;

    /// <summary>Waits for the next offer made to the agent after <paramref name="skip"/> earlier ones, and returns the
    /// conversation.</summary>
    public async Task<string> NextOfferTo(string agentId, int skip = 0)
    {
        var seen = 0;
        var e = await Cluster.Events.WaitAsync<ConversationStateChanged>(
            Workspace,
            e => e.State == ConversationState.Offered && e.AgentId == agentId && seen++ >= skip
        );
        return e.ConversationId;
    }

    public Task<ConversationStateChanged> Reached(string conversationId, ConversationState state, string? reason = null) =>
        Cluster.Events.WaitAsync<ConversationStateChanged>(
            Workspace,
            e => e.ConversationId == conversationId && e.State == state && (reason is null || e.Reason == reason)
        );

    /// <summary>The offers made so far, in order, as (conversation, agent).</summary>
    public IReadOnlyList<(string Conversation, string Agent)> Offers() =>
        Cluster
            .Events.Of(Workspace)
            .OfType<ConversationStateChanged>()
            .Where(e => e.State == ConversationState.Offered)
            .Select(e => (e.ConversationId, e.AgentId!))
            .ToList();

    /// <summary>Moves routing time forward; alarms that fall due fire as grain calls.</summary>
    public void Advance(TimeSpan by) => Cluster.Time.Advance(by);

    /// <summary>
    /// Waits until <paramref name="grain"/> has no activation. A deactivation follows the call that asked for it and
    /// has no event outside the silo, so the runtime's management grain is asked until it is gone (30 s at most).
    /// </summary>
    public async Task Deactivated(IAddressable grain)
    {
        var id = grain.GetGrainId();
        var management = Cluster.Grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await management.GetActiveGrains(id.Type)).Contains(id))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{id} is still active after 30 s");
            await Task.Delay(10);
        }
    }

    public async Task Connect(string conversationId, string agentId)
    {
        await Offered(conversationId, agentId);
        await Conversation(conversationId).AcceptAsync(agentId);
    }
}
