using CsCheck;
using Routing.Policy.Tests.Generators;

namespace Routing.Policy.Tests;

/// <summary>Property tests of the rules of docs/routing.md over random agents and lines.</summary>
public sealed class MatcherProperties
{
    private const long Iterations = 1_500;

    [Fact]
    public void MatchAllKeepsEveryRoutingRule()
    {
        var assigned = 0;
        var leftWaiting = 0;
        var filledUp = 0;
        var afterRelaxing = 0;
        var byOverflow = 0;

        PolicyGen.Scenario.Sample(
            scenario =>
            {
                var agents = scenario.FreshAgents();
                var assignments = new Matcher(scenario.Method) { LastPicked = scenario.LastPicked }.MatchAll(
                    scenario.Line,
                    agents,
                    scenario.Now
                );

                var problems = MatchChecks.Violations(scenario, assignments, agents);
                Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

                Interlocked.Add(ref assigned, assignments.Count);
                Interlocked.Add(ref leftWaiting, scenario.Line.Length - assignments.Count);
                Interlocked.Add(ref filledUp, agents.Count(a => a.Available && !a.IsReady && a.Capacity.EffectiveTotal > 0));
                Interlocked.Add(
                    ref afterRelaxing,
                    assignments.Count(a =>
                        a.Conversation.Skills.Steps.Count > 0
                        && a.Conversation.Skills.StepAt(a.Conversation.WaitedAt(scenario.Now)) != a.Conversation.Skills.Steps[0]
                    )
                );
                Interlocked.Add(ref byOverflow, assignments.Count(a => !a.Agent.Serves(a.Conversation.QueueId)));
            },
            iter: Iterations,
            print: s => s.ToString()
        );

        // The generator must reach the cases the rules are about, or the property proves nothing.
        Assert.True(assigned > Iterations, $"only {assigned} assignments");
        Assert.True(leftWaiting > Iterations, $"only {leftWaiting} left waiting");
        Assert.True(filledUp > 100, $"only {filledUp} agents filled up");
        Assert.True(afterRelaxing > 100, $"only {afterRelaxing} assignments after a relaxation");
        Assert.True(byOverflow > 100, $"only {byOverflow} assignments through an overflow queue");
    }

    [Fact]
    public void ConversationsForFillsAnAgentGreedilyInLineOrder()
    {
        var picks = 0;

        PolicyGen.Scenario.Sample(
            scenario =>
            {
                var spec = scenario.Agents[0];
                var agent = spec.ToCandidate();
                var picked = new Matcher(scenario.Method).ConversationsFor(agent, scenario.Line, scenario.Now);

                // The same as offering the line to that one agent in a full pass.
                var alone = scenario with
                {
                    Agents = [spec],
                };
                var asPass = picked.Select(c => new Assignment(c, agent)).ToList();
                var problems = MatchChecks.Violations(alone, asPass, [agent]);
                Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

                Interlocked.Add(ref picks, picked.Count);
            },
            iter: Iterations,
            print: s => s.ToString()
        );

        Assert.True(picks > Iterations / 5, $"only {picks} picks");
    }

    [Fact]
    public void EligibilityAgreesWithTheRuleAsWritten()
    {
        var eligible = 0;

        PolicyGen.Scenario.Sample(
            scenario =>
            {
                foreach (var spec in scenario.Agents)
                {
                    foreach (var conversation in scenario.Line)
                    {
                        var expected = MatchChecks.MayBeOffered(spec, spec.InUse, conversation, scenario.Now);
                        Assert.True(
                            expected == Eligibility.IsEligible(spec.ToCandidate(), conversation, scenario.Now),
                            $"{spec} for {PolicyGen.Show(conversation, scenario.Now)}: expected {expected}"
                        );
                        if (expected)
                        {
                            Interlocked.Increment(ref eligible);
                        }

                        // "Could ever serve" is eligibility once every timed step has run out, whatever the status and load.
                        var idleForever = spec with
                        {
                            Available = true,
                            InUse = [],
                        };
                        Assert.True(
                            Eligibility.CouldEverServe(spec.ToCandidate(), conversation)
                                == Eligibility.IsEligible(idleForever.ToCandidate(), conversation, scenario.Now + TimeSpan.FromDays(1)),
                            $"{spec} could ever serve {PolicyGen.Show(conversation, scenario.Now)} disagrees with its eligibility a day "
                                + $"later"
                        );
                    }
                }
            },
            iter: Iterations,
            print: s => s.ToString()
        );

        Assert.True(eligible > Iterations, $"only {eligible} eligible pairs");
    }

    [Fact]
    public void AgentGetsWorkFromTheBestRankedQueueWithAnythingEligible()
    {
        var found = 0;

        PolicyGen.Scenario.Sample(
            scenario =>
            {
                var agent = scenario.Agents[0].ToCandidate();
                var lines = scenario
                    .Line.GroupBy(c => c.QueueId, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => (IEnumerable<WaitingConversation>)[.. g], StringComparer.Ordinal);

                var next = RoutingProfile.NextFor(agent, lines, scenario.Now);

                var expected = RoutingProfile
                    .QueuesByRank(agent.QueueRanks)
                    .Select(q => lines.GetValueOrDefault(q)?.FirstOrDefault(c => Eligibility.IsEligible(agent, c, scenario.Now)))
                    .FirstOrDefault(c => c is not null);
                Assert.Same(expected, next);
                if (next is not null)
                {
                    var rank = agent.QueueRanks[next.QueueId];
                    Assert.DoesNotContain(
                        scenario.Line,
                        c =>
                            agent.QueueRanks.GetValueOrDefault(c.QueueId, int.MaxValue) < rank
                            && Eligibility.IsEligible(agent, c, scenario.Now)
                    );
                    Interlocked.Increment(ref found);
                }
            },
            iter: Iterations,
            print: s => s.ToString()
        );

        Assert.True(found > Iterations / 10, $"only {found} agents found work");
    }

    [Fact]
    public void ChecksCatchPassesThatBreakTheRules()
    {
        // The properties above are only worth something if the checks can fail: break a pass four ways and count.
        int doubleBooked = 0,
            overBooked = 0,
            leftWaiting = 0,
            wrongAgent = 0;

        PolicyGen.Scenario.Sample(
            scenario =>
            {
                var agents = scenario.FreshAgents();
                var twice = new Matcher(scenario.Method) { LastPicked = scenario.LastPicked }.MatchAll(scenario.Line, agents, scenario.Now);
                if (twice.Count > 0)
                {
                    twice.Add(twice[0]);
                    twice[0].Agent.Take(twice[0].Conversation.Channel);
                    Count(ref doubleBooked, MatchChecks.Violations(scenario, twice, agents));
                }

                agents = scenario.FreshAgents();
                var careless = new List<Assignment>();
                foreach (var conversation in scenario.Line)
                {
                    if (agents.FirstOrDefault(a => a.Available && a.Serves(conversation.QueueId)) is { } anyone)
                    {
                        anyone.Take(conversation.Channel);
                        careless.Add(new Assignment(conversation, anyone));
                    }
                }
                Count(ref overBooked, MatchChecks.Violations(scenario, careless, agents));

                agents = scenario.FreshAgents();
                var lazy = new Matcher(scenario.Method) { LastPicked = scenario.LastPicked }.MatchAll(
                    scenario.Line.Skip(1),
                    agents,
                    scenario.Now
                );
                Count(ref leftWaiting, MatchChecks.Violations(scenario, lazy, agents));

                agents = scenario.FreshAgents();
                var otherMethod = (SelectionMethod)(((int)scenario.Method + 1) % 4);
                var wrong = new Matcher(otherMethod) { LastPicked = scenario.LastPicked }.MatchAll(scenario.Line, agents, scenario.Now);
                Count(ref wrongAgent, MatchChecks.Violations(scenario, wrong, agents));
            },
            iter: Iterations / 3,
            print: s => s.ToString()
        );

        Assert.True(doubleBooked > 10, $"double booking caught {doubleBooked} times");
        Assert.True(overBooked > 10, $"over-booking caught {overBooked} times");
        Assert.True(leftWaiting > 10, $"a skipped conversation caught {leftWaiting} times");
        Assert.True(wrongAgent > 10, $"a wrong selection method caught {wrongAgent} times");

        static void Count(ref int caught, List<string> problems)
        {
            if (problems.Count > 0)
            {
                Interlocked.Increment(ref caught);
            }
        }
    }
}
