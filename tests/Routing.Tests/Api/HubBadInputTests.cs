using Routing.Api.Problems;
using Routing.Client;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>
/// A hub method and its REST twin take the same values: the same limits and characters, checked by one validator,
/// refused with the same codes, changing nothing.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HubBadInputTests(ApiFactory api)
{
    private readonly HttpClient _http = api.CreateClient();
    private readonly string _queue = $"hq-{Guid.NewGuid():N}"[..16];
    private readonly string _agent = $"ha-{Guid.NewGuid():N}"[..16];

    private async Task<string> SetUp()
    {
        await _http.Put($"/api/queues/{_queue}", new { name = "Hub input" });
        await _http.Put($"/api/agents/{_agent}", new { name = "Hal", queues = new[] { new { queueId = _queue } } });
        return (
            await (
                await _http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = _queue,
                        customer = new { id = "c" },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;
    }

    private async Task<(string Status, string? Reason)> StatusNow()
    {
        var agent = await (await _http.GetAsync($"/api/agents/{_agent}")).Body();
        return (agent.GetProperty("status").GetString()!, agent.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AStatusReasonLongerThanRestTakesIsRefusedOverTheSupervisorHubAndChangesNothing()
    {
        await SetUp();
        await using var supervisor = new SupervisorConnection(api.Realtime());
        await supervisor.StartAsync();

        foreach (var reason in new[] { new string('x', 5_000), new string('x', RequestValidator.MaxReasonLength + 1) })
        {
            var refused = await Assert.ThrowsAsync<RealtimeException>(() =>
                supervisor.SetAgentStatusAsync(_agent, AgentStatus.Away, reason)
            );
            Assert.Equal(("invalid-length", "reason"), (refused.Code, refused.Field));
            var rest = await (await _http.Post($"/api/agents/{_agent}/status", new { status = "Away", reason })).Body();
            Assert.Equal(("invalid-length", "reason"), (rest.GetProperty("code").GetString(), rest.GetProperty("field").GetString()));
        }
        Assert.Equal(("Offline", (string?)null), await StatusNow());

        var longest = new string('x', RequestValidator.MaxReasonLength);
        await supervisor.SetAgentStatusAsync(_agent, AgentStatus.Away, longest);
        Assert.Equal(("Away", longest), await StatusNow());
    }

    [Fact]
    public async Task IdsEndingInANewlineAndTextsWithControlCharactersAreRefusedOverTheHubsAndChangeNothing()
    {
        var id = await SetUp();
        await using var supervisor = new SupervisorConnection(api.Realtime());
        await using var desk = new AgentConnection(api.Realtime(), _agent);
        await supervisor.StartAsync();
        await desk.StartAsync();

        async Task Refused(Func<Task> call, string code, string field)
        {
            var refused = await Assert.ThrowsAsync<RealtimeException>(call);
            Assert.Equal((code, field), (refused.Code, refused.Field));
        }
        await Refused(() => supervisor.MoveConversationAsync(id, _queue + "\n"), "invalid-id", "toQueueId");
        await Refused(() => supervisor.WaitingAsync(_queue + "\n"), "invalid-id", "queueId");
        await Refused(() => supervisor.SetAgentStatusAsync(_agent + "\n", AgentStatus.Away), "invalid-id", "agentId");
        await Refused(() => supervisor.SetAgentStatusAsync(_agent, AgentStatus.Away, "lunch\r\nbreak"), "control-characters", "reason");
        await Refused(() => desk.SetStatusAsync(AgentStatus.Away, "lunch\n"), "control-characters", "reason");
        await Refused(() => desk.TransferToQueueAsync(id, _queue + "\n"), "invalid-id", "toQueueId");
        await Refused(() => desk.TransferToAgentAsync(id, _agent + "\n"), "invalid-id", "toAgentId");
        await Refused(() => desk.CompleteAsync(id, "done\u0000"), "control-characters", "disposition");

        Assert.Equal(("Offline", (string?)null), await StatusNow());
        var conversation = await (await _http.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal(
            (nameof(ConversationState.Queued), _queue),
            (conversation.GetProperty("state").GetString(), conversation.GetProperty("queueId").GetString())
        );
    }
}
