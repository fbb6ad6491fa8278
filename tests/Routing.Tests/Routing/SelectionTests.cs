using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Routing;

/// <summary>docs/routing.md, rule 4: each selection method picks the agent it promises.</summary>
[Collection(RoutingClusterCollection.Name)]
public sealed class SelectionTests(RoutingClusterFixture cluster)
{
    [Fact]
    public async Task LongestIdlePicksTheAgentIdleLongest()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", selection: "longest-idle");
        foreach (var agent in new[] { "cat", "ann", "bob" })
        {
            await s.DefineAgent(agent, ["q"]);
            await s.Available(agent);
            s.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal("cat", await s.Offered(await s.Start("q")));
    }

    [Fact]
    public async Task MostSkilledPicksTheHighestProficiencyOnTheRequiredSkills()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", selection: "most-skilled");
        foreach (var (agent, level) in new[] { ("ann", 2), ("bob", 5), ("cat", 3) })
        {
            await s.DefineAgent(agent, ["q"], skills: new() { ["billing"] = level });
            await s.Available(agent);
        }

        var id = await s.Start("q", skills: new SkillRequirementStep(new Dictionary<string, int> { ["billing"] = 1 }, null));

        Assert.Equal("bob", await s.Offered(id));
    }

    [Fact]
    public async Task LeastOccupiedPicksTheLowestShareOfCapacityInUse()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", selection: "least-occupied");
        // With one voice slot each: ann holds 1 of 3 slots, bob 1 of 5, cat 2 of 4. Each is loaded through a queue of its own.
        foreach (var (agent, capacity, load) in new[] { ("ann", 2, 1), ("bob", 4, 1), ("cat", 3, 2) })
        {
            await s.DefineQueue("own-" + agent);
            await s.DefineAgent(agent, ["q", "own-" + agent], chat: capacity, email: 0);
            await s.Available(agent);
            for (var i = 0; i < load; i++)
            {
                await s.Connect(await s.Start("own-" + agent), agent);
            }
        }

        Assert.Equal("bob", await s.Offered(await s.Start("q")));
    }

    [Fact]
    public async Task RoundRobinTakesEachAgentInTurn()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", selection: "round-robin");
        foreach (var agent in new[] { "bob", "ann", "cat" })
        {
            await s.DefineAgent(agent, ["q"], chat: 5);
            await s.Available(agent);
        }

        var picked = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            picked.Add(await s.Offered(await s.Start("q")));
        }

        Assert.Equal(["ann", "bob", "cat", "ann"], picked);
    }
}
