using Routing.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Realtime;

/// <summary>
/// The realtime protocol end to end across two silos: the agent and the supervisor connected to one, the
/// conversation created (and its customer connected) through the other.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(TwoSiloCollection.Name)]
public sealed class RealtimeLifecycleTests(TwoSiloCluster cluster)
{
    private readonly string _queue = "care-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _agent = "ann-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task OfferAcceptMessagesCompleteAndRatingAreSeenByAgentCustomerAndSupervisor()
    {
        var rest = cluster.B.CreateClient();
        await rest.Put($"/api/queues/{_queue}", new { name = "Care", wrapUpSeconds = new { chat = 0 } });
        await rest.Put(
            $"/api/agents/{_agent}",
            new
            {
                name = "Ann",
                skills = new { billing = 4 },
                queues = new[] { new { queueId = _queue } },
            }
        );

        await using var supervisor = new SupervisorConnection(cluster.A.Realtime);
        var ticks = new EventLog<QueueStats>();
        var statuses = new EventLog<AgentStatusChanged>();
        supervisor.QueueStatsUpdated += ticks.Add;
        supervisor.AgentStatusChanged += statuses.Add;
        await supervisor.StartAsync();

        await using var agent = new AgentConnection(cluster.A.Realtime, _agent);
        var offers = new EventLog<OfferNotice>();
        var agentHeard = new EventLog<TranscriptMessage>();
        var assignments = new EventLog<(string Id, ConversationState State)>();
        agent.OfferReceived += offers.Add;
        agent.MessageReceived += (_, m) => agentHeard.Add(m);
        agent.AssignmentChanged += (id, state, _) => assignments.Add((id, state));
        await agent.StartAsync();
        await agent.SetStatusAsync(AgentStatus.Available);
        await statuses.WaitAsync(s => s.AgentId == _agent && s.Status == AgentStatus.Available);

        var created = await (
            await rest.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = _queue,
                    customer = new
                    {
                        id = "c-9",
                        name = "Li Wei",
                        tier = "gold",
                    },
                    skills = new[] { new { requirements = new { billing = 3 } } },
                }
            )
        ).Body();
        var id = created.GetProperty("id").GetString()!;
        await using var customer = new CustomerConnection(cluster.B.Realtime, created.GetProperty("customerToken").GetString()!);
        var joined = new EventLog<string?>();
        var customerHeard = new EventLog<TranscriptMessage>();
        var ended = new EventLog<ConversationState>();
        customer.AgentJoined += joined.Add;
        customer.MessageReceived += customerHeard.Add;
        customer.Ended += ended.Add;
        await customer.StartAsync();

        var offer = await offers.WaitAsync(o => o.ConversationId == id);
        Assert.Equal(("Li Wei", "gold", "chat", _queue), (offer.CustomerName, offer.Tier, offer.Channel, offer.QueueId));
        Assert.Equal(3, offer.Skills.Single().Requirements["billing"]);
        Assert.True(offer.ExpiresAt > offer.WaitingSince);

        await agent.AcceptAsync(id);
        Assert.Equal("Ann", await joined.WaitAsync(n => n is not null));
        await assignments.WaitAsync(a => a.Id == id && a.State == ConversationState.Connected);

        await customer.SendMessageAsync("My refund has not arrived.");
        Assert.Equal("My refund has not arrived.", (await agentHeard.WaitAsync(m => m.From == "customer")).Text);
        await agent.SendMessageAsync(id, "I have reissued it.");
        Assert.Equal("I have reissued it.", (await customerHeard.WaitAsync(m => m.From == "agent")).Text);

        await agent.CompleteAsync(id, "refunded");
        Assert.Equal(ConversationState.Completed, await ended.WaitAsync(_ => true));
        await assignments.WaitAsync(a => a.Id == id && a.State == ConversationState.Completed);
        var rated = await customer.RateAsync(5);
        Assert.Equal(5, rated.Rating);

        var stats = await ticks.WaitAsync(s => s.QueueId == _queue && s.Completed == 1);
        Assert.Equal(1, stats.Connected);
        Assert.Equal(0, stats.Waiting);
        Assert.Equal(["My refund has not arrived.", "I have reissued it."], customer.Transcript.Select(m => m.Text));
        Assert.Equal(customer.Transcript.Select(m => m.Sequence), agent.Transcript(id).Select(m => m.Sequence));
    }

    [Fact]
    public async Task ACustomerSeesItsPositionFallAsTheConversationsAheadAreConnected()
    {
        var rest = cluster.B.CreateClient();
        await rest.Put($"/api/queues/{_queue}", new { name = "Care", wrapUpSeconds = new { chat = 0 } });
        await rest.Put(
            $"/api/agents/{_agent}",
            new
            {
                name = "Ann",
                capacity = new { chat = 1 },
                queues = new[] { new { queueId = _queue } },
            }
        );
        var ids = new List<string>();
        string? token = null;
        for (var i = 0; i < 3; i++)
        {
            var body = await (
                await rest.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = _queue,
                        customer = new { id = $"c{i}" },
                    }
                )
            ).Body();
            ids.Add(body.GetProperty("id").GetString()!);
            token = body.GetProperty("customerToken").GetString();
        }
        await using var customer = new CustomerConnection(cluster.A.Realtime, token!);
        var positions = new EventLog<int>();
        customer.PositionChanged += p => positions.Add(p.Position);
        await customer.StartAsync();
        Assert.Equal(2, customer.Position!.Position);

        await using var agent = new AgentConnection(cluster.B.Realtime, _agent);
        var offers = new EventLog<OfferNotice>();
        agent.OfferReceived += offers.Add;
        await agent.StartAsync();
        await agent.SetStatusAsync(AgentStatus.Available);
        for (var i = 0; i < 2; i++)
        {
            await offers.WaitAsync(o => o.ConversationId == ids[i]);
            await positions.WaitAsync(p => p == 1 - i); // the one ahead is out of line, being offered
            await agent.AcceptAsync(ids[i]);
            await agent.CompleteAsync(ids[i]);
        }

        Assert.Equal(ids[2], (await offers.WaitAsync(o => o.ConversationId == ids[2])).ConversationId);
        var seen = positions.Items; // perhaps a 2 first, if a tick came before the agent was available
        Assert.Equal(seen.OrderByDescending(p => p), seen);
        Assert.Equal([1, 0], seen.SkipWhile(p => p == 2));
    }
}
