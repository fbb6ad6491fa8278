using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Routing;

/// <summary>docs/routing.md, rules 1–2: skill requirements, their relaxation, and conversations no one can serve.</summary>
[Collection(RoutingClusterCollection.Name)]
public sealed class SkillTests(RoutingClusterFixture cluster)
{
    private static SkillRequirementStep Step(string skill, int level, int? seconds) =>
        new(new Dictionary<string, int> { [skill] = level }, seconds);

    [Fact]
    public async Task AConversationNeedingBilling4GoesToABilling2AgentOnlyAfterItsFirstStepRunsOut()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("billing");
        await s.DefineAgent("bob", ["billing"], skills: new() { ["billing"] = 2 });
        await s.Available("bob");

        var id = await s.Start("billing", skills: [Step("billing", 4, 2), Step("billing", 2, null)]);

        // Matching for an arrival is decided before StartAsync returns, and an attempt would reach the
        // conversation before this read does: still queued means no offer was made.
        Assert.Equal(ConversationState.Queued, (await s.Conversation(id).GetAsync()).State);
        Assert.Empty(s.Offers());
        s.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(ConversationState.Queued, (await s.Conversation(id).GetAsync()).State);
        Assert.Empty(s.Offers());

        s.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal("bob", await s.Offered(id));
    }

    [Fact]
    public async Task ABilling4AgentGetsItAtOnce()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("billing");
        await s.DefineAgent("bob", ["billing"], skills: new() { ["billing"] = 2 });
        await s.DefineAgent("eve", ["billing"], skills: new() { ["billing"] = 5 });
        await s.Available("bob");
        await s.Available("eve");

        var id = await s.Start("billing", skills: [Step("billing", 4, 2), Step("billing", 2, null)]);

        Assert.Equal("eve", await s.Offered(id));
    }

    [Fact]
    public async Task AConversationNoAgentCouldEverServeIsReportedNotLeftWaitingSilently()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("billing");
        await s.DefineAgent("bob", ["billing"], skills: new() { ["billing"] = 5 });
        await s.Available("bob");

        var id = await s.Start("billing", skills: [Step("klingon", 5, null)]);

        var view = await s.Conversation(id).GetAsync();
        Assert.Equal(ConversationState.Queued, view.State);
        Assert.Contains("klingon>=5", view.Position!.Unservable);
        Assert.Equal(1, (await s.Queue("billing").GetStatsAsync()).Unservable);

        // Once someone who could serve it is defined, it is no longer reported and is offered.
        await s.DefineAgent("worf", ["billing"], skills: new() { ["klingon"] = 5 });
        await s.Available("worf");
        Assert.Equal("worf", await s.Offered(id));
        Assert.Equal(0, (await s.Queue("billing").GetStatsAsync()).Unservable);
    }
}
