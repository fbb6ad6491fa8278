using Routing.Contracts;
using Routing.LoadTests.Scenarios;

namespace Routing.LoadTests.Targets;

/// <summary>The queues, agents and conversations of a scenario in the product's own terms, shared by the engine and end-to-end
/// targets.</summary>
internal static class Definitions
{
    /// <summary>The base priority of a tier as a server on its defaults gives it (<see
    /// cref="RoutingOptions.DefaultTierPriorities"/>).</summary>
    public static int PriorityOf(string tier) =>
        RoutingOptions.DefaultTierPriorities.GetValueOrDefault(tier, RoutingOptions.DefaultTierPriorities["standard"]);

    public static QueueDefinition Queue(Scenario scenario, QueueSpec queue) =>
        new(
            queue.Id,
            ServiceLevelGoal.Default with
            {
                TargetSeconds = scenario.ServiceLevelSeconds,
            },
            queue.Selection,
            0.5,
            new Dictionary<string, int>(),
            scenario.OfferTimeoutSeconds,
            null,
            null
        );

    public static AgentDefinition Agent(Scenario scenario, AgentSpec agent) =>
        new(agent.Id, agent.Skills, scenario.Capacity, null, agent.Queues);

    public static StartConversation Command(ConversationSpec c) =>
        new(
            c.Channel,
            c.QueueId,
            new Customer("load", "Load Test", c.Tier),
            PriorityOf(c.Tier),
            c.Skills,
            new Dictionary<string, string>(),
            null
        );

    /// <summary>Defines the queues, then the agents, then sets them Available, 64 at a time.</summary>
    public static async Task DefineAsync(
        Scenario scenario,
        IReadOnlyList<AgentSpec> agents,
        Func<string, QueueDefinition, Task> defineQueue,
        Func<string, AgentDefinition, Task> defineAgent,
        Func<string, Task> makeAvailable
    )
    {
        foreach (var queue in scenario.Queues)
        {
            await defineQueue(queue.Id, Queue(scenario, queue));
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64 };
        await Parallel.ForEachAsync(agents, parallel, async (a, _) => await defineAgent(a.Id, Agent(scenario, a)));
        await Parallel.ForEachAsync(agents, parallel, async (a, _) => await makeAvailable(a.Id));
    }
}
