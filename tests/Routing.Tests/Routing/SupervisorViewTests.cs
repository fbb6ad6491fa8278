using Routing.Contracts;
using Routing.Grains.Queues;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Routing;

/// <summary>What a queue tells supervisors: its line as they see it, and its last hour.</summary>
[Collection(RoutingClusterCollection.Name)]
public sealed class SupervisorViewTests(RoutingClusterFixture cluster)
{
    [Fact]
    public async Task AQueuesLineShowsWhoWaitsInOrderWithTheSkillStepInForceWhoDeclinedAndWhatNobodyCanServe()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("q", offerTimeoutSeconds: 30);
        await s.DefineAgent("ann", ["q"], skills: new() { ["billing"] = 2 });
        var relaxing = await s.Start(
            "q",
            tier: "gold",
            skills:
            [
                new SkillRequirementStep(new Dictionary<string, int> { ["billing"] = 4 }, 10),
                new SkillRequirementStep(new Dictionary<string, int> { ["billing"] = 1 }, null),
            ]
        );
        var impossible = await s.Start("q", skills: [new SkillRequirementStep(new Dictionary<string, int> { ["french"] = 5 }, null)]);

        var line = await s.Queue("q").GetWaitingAsync(10);

        Assert.Equal([relaxing, impossible], line.Select(w => w.ConversationId)); // gold first
        Assert.Equal(("gold", 0, false), (line[0].Tier, line[0].Step, line[0].Offering));
        Assert.NotNull(line[1].Unservable);
        Assert.Null(line[0].Unservable);

        // After 10 s the first step relaxes; Ann can serve it, is offered it, and declines.
        await s.Available("ann");
        s.Advance(TimeSpan.FromSeconds(10));
        await s.Offered(relaxing, "ann");
        await s.Conversation(relaxing).DeclineAsync("ann");

        var after = await s.Queue("q").GetWaitingAsync(10);
        var first = Assert.Single(after, w => w.ConversationId == relaxing);
        Assert.Equal(1, first.Step);
        Assert.Equal(["ann"], first.ExcludedAgents);
        Assert.Single(await s.Queue("q").GetWaitingAsync(1));
    }

    [Fact]
    public void AQueuesHistoryKeepsTheLastHourOfSecondsOldestFirst()
    {
        var history = new QueueHistory();
        var start = DateTimeOffset.Parse("2026-11-11T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < QueueHistory.Capacity + 5; i++)
        {
            history.Add(new QueueStats("q", start.AddSeconds(i), i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null, 900));
        }

        var ticks = history.ToList();

        Assert.Equal(QueueHistory.Capacity, ticks.Count);
        Assert.Equal(5, ticks[0].Waiting);
        Assert.Equal(QueueHistory.Capacity + 4, ticks[^1].Waiting);
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.First.At < p.Second.At));
    }

    [Fact]
    public void AnHourSentInTenSecondStepsKeepsEachStepsPeaksAndItsLastServiceLevel()
    {
        var history = new QueueHistory();
        var start = DateTimeOffset.Parse("2026-11-11T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 25; i++)
        {
            var waiting = i == 13 ? 50 : i;
            history.Add(
                new QueueStats("q", start.AddSeconds(i), waiting, i * 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100 - i, null, null, null, 900)
            );
        }

        var steps = history.ToList(10);

        Assert.Equal(3, steps.Count); // 0–9, 10–19, 20–24
        Assert.Equal([9, 50, 24], steps.Select(s => s.Waiting)); // the peak of each step
        Assert.Equal([18.0, 38.0, 48.0], steps.Select(s => s.LongestWaitSeconds));
        Assert.Equal([91.0, 81.0, 76.0], steps.Select(s => s.ServiceLevelPercent!.Value)); // the step's last
        // at the step's last second
        Assert.Equal([start.AddSeconds(9), start.AddSeconds(19), start.AddSeconds(24)], steps.Select(s => s.At));
    }
}
