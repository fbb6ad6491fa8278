using System.Collections.Concurrent;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Routing;

/// <summary>docs/routing.md, rule 6, under load: no double offer, no agent over capacity, nothing lost.</summary>
[Collection(RoutingClusterCollection.Name)]
public sealed class InvariantTests(RoutingClusterFixture cluster)
{
    private const int Agents = 50;
    private const int Conversations = 1_000;

    [Fact]
    public async Task AThousandConcurrentCreatesAgainstFiftyAgentsWithRandomAcceptsAndDeclinesKeepEveryInvariant()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("peak");
        for (var i = 0; i < Agents; i++)
        {
            // Mixed capacities, some limited in total, so both limits are exercised.
            await s.DefineAgent($"a{i:00}", ["peak"], chat: 1 + (i % 3), maxTotal: i % 4 == 0 ? 1 : null);
            await s.Available($"a{i:00}");
        }
        var random = new Random(20261111);
        var decisions = new ConcurrentDictionary<(string, string), bool>();
        var handled = new ConcurrentBag<Task>();
        var completed = new ConcurrentDictionary<string, bool>();
        var allCompleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // React to every offer as an agent would: accept about four in five (then finish), decline the rest.
        using var subscription = cluster.Events.Subscribe(
            s.Workspace,
            e =>
            {
                if (e is ConversationStateChanged { State: ConversationState.Offered } offer)
                {
                    bool accept;
                    lock (random)
                    {
                        accept = random.NextDouble() < 0.8;
                    }
                    decisions[(offer.ConversationId, offer.AgentId!)] = accept;
                    handled.Add(
                        Task.Run(async () =>
                        {
                            var c = s.Conversation(offer.ConversationId);
                            if (accept)
                            {
                                await c.AcceptAsync(offer.AgentId!);
                                await c.CompleteAsync(offer.AgentId!, "done");
                            }
                            else
                            {
                                await c.DeclineAsync(offer.AgentId!);
                            }
                        })
                    );
                }
                else if (
                    e is ConversationStateChanged { State: ConversationState.Completed } done
                    && completed.TryAdd(done.ConversationId, true)
                    && completed.Count == Conversations
                )
                {
                    allCompleted.TrySetResult();
                }
            }
        );

        var ids = await Task.WhenAll(Enumerable.Range(0, Conversations).Select(_ => s.Start("peak")));
        await allCompleted.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await Task.WhenAll(handled);

        var events = cluster.Events.Of(s.Workspace);
        AssertNeverOfferedToTwoAgentsAtOnce(events);
        AssertNoAgentEverOverCapacity(events);
        Assert.Equal(Conversations, ids.Distinct().Count());
        foreach (var id in ids)
        {
            var view = await s.Conversation(id).GetAsync();
            Assert.Equal(ConversationState.Completed, view.State);
            Assert.DoesNotContain(view.Offers, o => o.Answer == "pending");
            // The agent that declined it was never offered it again.
            var declined = view.Offers.Where(o => o.Answer == "declined").Select(o => o.AgentId).ToList();
            Assert.Equal(declined.Count, declined.Distinct().Count());
            Assert.DoesNotContain(view.AgentId, declined);
        }
        for (var i = 0; i < Agents; i++)
        {
            var agent = (await s.Agent($"a{i:00}").GetAsync())!;
            Assert.Empty(agent.Offers);
            Assert.Empty(agent.Assignments);
        }
        var stats = await s.Queue("peak").GetStatsAsync();
        Assert.Equal(0, stats.Waiting);
        Assert.Equal(Conversations, stats.Connected);
    }

    private static void AssertNeverOfferedToTwoAgentsAtOnce(IReadOnlyList<RoutingEvent> events)
    {
        foreach (var conversation in events.OfType<ConversationStateChanged>().GroupBy(e => e.ConversationId))
        {
            string? holder = null;
            foreach (var e in conversation)
            {
                if (e.State is ConversationState.Offered)
                {
                    Assert.True(holder is null, $"{e.ConversationId} offered to {e.AgentId} while {holder} still held it");
                    holder = e.AgentId;
                }
                else if (e.State is ConversationState.Queued or ConversationState.Abandoned or ConversationState.Completed)
                {
                    holder = null;
                }
                else if (e.State is ConversationState.Connected)
                {
                    Assert.Equal(holder, e.AgentId);
                }
            }
        }
    }

    private static void AssertNoAgentEverOverCapacity(IReadOnlyList<RoutingEvent> events)
    {
        var loads = events.OfType<AgentLoadChanged>().ToList();
        Assert.NotEmpty(loads);
        foreach (var load in loads)
        {
            foreach (var (channel, used) in load.InUse)
            {
                Assert.True(used <= load.Capacity.GetValueOrDefault(channel), $"{load.AgentId} held {used} on {channel}");
            }
            Assert.True(
                load.MaxTotal is not { } max || load.InUse.Values.Sum() <= max,
                $"{load.AgentId} held {load.InUse.Values.Sum()} in total"
            );
        }
    }
}
