using Routing.Contracts;
using Routing.Contracts.Knowledge;
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
            null,
            scenario.SelfServiceShare > 0 ? SelfServiceModes.BotFirst : SelfServiceModes.Off
        );

    /// <summary>
    /// Questions customers ask at the peak, one for each queue's knowledge article (cycled when there are more queues):
    /// each self-served arrival asks its queue's, word for word, so the knowledge base answers it well and the bot answers
    /// at the create (docs/self-service.md).
    /// </summary>
    private static readonly string[] Questions =
    [
        "Where is my parcel",
        "How do I get a refund",
        "Can I change the delivery address",
        "Is this item in stock",
        "How do I use a coupon",
        "When will my order ship",
    ];

    /// <summary>The question the customers of the scenario's <paramref name="queueId"/> ask in the self-service step.</summary>
    public static string Question(Scenario scenario, string queueId) =>
        Questions[Math.Max(0, scenario.Queues.FindIndex(q => q.Id == queueId)) % Questions.Length];

    /// <summary>One knowledge article per queue of the scenario, its topic the queue, answering the queue's question.</summary>
    public static IReadOnlyList<KnowledgeArticleDraft> Articles(Scenario scenario) =>
        [
            .. scenario.Queues.Select(
                (q, i) =>
                    new KnowledgeArticleDraft(
                        $"load-{i}",
                        Question(scenario, q.Id) + "?",
                        [Question(scenario, q.Id)],
                        $"The answer to '{Question(scenario, q.Id)}', as the knowledge team wrote it for {q.Id}.",
                        q.Id,
                        KnowledgeArticle.English,
                        ["load"],
                        true,
                        null
                    )
            ),
        ];

    public static AgentDefinition Agent(Scenario scenario, AgentSpec agent) =>
        new(agent.Id, agent.Skills, scenario.Capacity, null, agent.Queues);

    /// <summary>A self-served arrival comes with its question as the first message (<see cref="Question"/>).</summary>
    public static StartConversation Command(Scenario scenario, ConversationSpec c) =>
        new(
            c.Channel,
            c.QueueId,
            new Customer("load", "Load Test", c.Tier),
            PriorityOf(c.Tier),
            c.Skills,
            new Dictionary<string, string>(),
            c.SelfService ? Question(scenario, c.QueueId) : null
        );

    /// <summary>
    /// Defines the queues (and, when they take the self-service step, the knowledge articles that answer it first), then the
    /// agents, then sets them Available, 64 at a time.
    /// </summary>
    public static async Task DefineAsync(
        Scenario scenario,
        IReadOnlyList<AgentSpec> agents,
        Func<KnowledgeArticleDraft, Task> defineArticle,
        Func<string, QueueDefinition, Task> defineQueue,
        Func<string, AgentDefinition, Task> defineAgent,
        Func<string, Task> makeAvailable
    )
    {
        if (scenario.SelfServiceShare > 0)
        {
            foreach (var article in Articles(scenario))
            {
                await defineArticle(article);
            }
        }
        foreach (var queue in scenario.Queues)
        {
            await defineQueue(queue.Id, Queue(scenario, queue));
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64 };
        await Parallel.ForEachAsync(agents, parallel, async (a, _) => await defineAgent(a.Id, Agent(scenario, a)));
        await Parallel.ForEachAsync(agents, parallel, async (a, _) => await makeAvailable(a.Id));
    }
}
