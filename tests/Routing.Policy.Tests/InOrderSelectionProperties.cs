using CsCheck;
using Routing.Policy.Tests.Generators;

namespace Routing.Policy.Tests;

/// <summary>The queue's shortcut: scanning agents in selection order picks exactly what weighing them all picks.</summary>
public sealed class InOrderSelectionProperties
{
    [Fact]
    public void FirstEligibleInSelectionOrderIsTheAgentTheMethodPromises()
    {
        var picked = 0;
        PolicyGen.Scenario.Sample(
            scenario =>
            {
                foreach (var conversation in scenario.Line)
                {
                    var all = scenario.FreshAgents();
                    var ordered = scenario
                        .FreshAgents()
                        .Order(Matcher.SelectionOrder(scenario.Method, conversation.Skills.Skills))
                        .ToList();
                    var expected = new Matcher(scenario.Method) { LastPicked = scenario.LastPicked }.AgentFor(
                        conversation,
                        all,
                        scenario.Now
                    );
                    var actual = new Matcher(scenario.Method) { LastPicked = scenario.LastPicked }.FirstInOrderFor(
                        conversation,
                        ordered,
                        scenario.Now
                    );
                    Assert.Equal(expected?.Id, actual?.Id);
                    if (actual is not null)
                    {
                        Interlocked.Increment(ref picked);
                    }
                }
            },
            iter: 1_000,
            print: s => s.ToString()
        );
        Assert.True(picked > 200, $"only {picked} picks: the generator must reach eligible agents");
    }
}
