using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Routing.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Realtime;

/// <summary>
/// The snapshot after a reconnect is what puts a desk right (docs/realtime.md, "Reconnecting"): when it cannot be taken
/// — a timeout, a refusal — the .NET client takes it again while the connection is up, instead of leaving the desk on
/// the state from before the drop.
/// </summary>
public sealed class ResyncRetryTests
{
    [Fact]
    public async Task ASnapshotRefusedAfterAReconnectIsTakenAgainAndTheDeskHoldsTheOfferMadeMeanwhile()
    {
        var faults = new HubFaults();
        await using var api = new ApiFactory { WithServices = services => services.Configure<HubOptions>(o => o.AddFilter(faults)) };
        var rest = api.CreateClient();
        await rest.Put("/api/queues/care", new { name = "Care" });
        await rest.Put("/api/agents/ann", new { name = "Ann", queues = new[] { new { queueId = "care" } } });
        await using var agent = new AgentConnection(api.Realtime(), "ann");
        var offers = new EventLog<OfferNotice>();
        var failures = new EventLog<Exception>();
        var resynced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.OfferReceived += offers.Add;
        agent.ResyncFailed += failures.Add;
        await agent.StartAsync();
        await agent.SetStatusAsync(AgentStatus.Available);
        agent.Hub.Reconnecting += _ =>
        {
            agent.Resynced += () => resynced.TrySetResult();
            return Task.CompletedTask;
        };

        // The connection drops (a message over the limit closes it); the first two snapshots after it are refused, and a
        // conversation comes in meanwhile.
        faults.Arm(refuseResyncs: 2, onRefusal: () => rest.Post("/api/conversations", ChatFrom("c-1")));
        await Assert.ThrowsAnyAsync<Exception>(() =>
            agent.SendMessageAsync("none", new string('x', (int)global::Routing.Api.Realtime.RealtimeExtensions.MaxHubMessageBytes + 1))
        );

        await resynced.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, failures.Items.Count);
        Assert.Equal(HubConnectionState.Connected, agent.State);
        Assert.Equal(AgentStatus.Available, agent.Status);
        var offer = await offers.WaitAsync(o => o.QueueId == "care");
        Assert.Contains(agent.Offers, o => o.ConversationId == offer.ConversationId);
        await agent.AcceptAsync(offer.ConversationId);
    }

    private static object ChatFrom(string customer) =>
        new
        {
            channel = "chat",
            queueId = "care",
            customer = new { id = customer },
        };

    /// <summary>
    /// Once armed: refuses the next snapshots, creating a conversation on the first refusal (so it is offered while the
    /// desk has no snapshot).
    /// </summary>
    private sealed class HubFaults : IHubFilter
    {
        private int _refuse;
        private Func<Task>? _onRefusal;

        public void Arm(int refuseResyncs, Func<Task> onRefusal)
        {
            _onRefusal = onRefusal;
            Volatile.Write(ref _refuse, refuseResyncs);
        }

        public async ValueTask<object?> InvokeMethodAsync(
            HubInvocationContext invocationContext,
            Func<HubInvocationContext, ValueTask<object?>> next
        )
        {
            if (invocationContext.HubMethodName == nameof(IAgentHub.Resync) && Interlocked.Decrement(ref _refuse) >= 0)
            {
                if (Interlocked.Exchange(ref _onRefusal, null) is { } onRefusal)
                {
                    await onRefusal();
                }
                throw new HubException("the snapshot could not be taken (a test's fault)");
            }
            return await next(invocationContext);
        }
    }
}
