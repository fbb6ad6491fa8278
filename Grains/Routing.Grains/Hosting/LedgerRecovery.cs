using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Hosting;

/// <summary>
/// On silo start, brings back what was under way when the last process stopped: every queue reloads its line
/// and its agents from the ledger, every available agent asks for work again, conversations that were offered
/// go back to their place in line (first, so the queues see them when they match), and those in wrap-up
/// re-arm their end. After another silo of the cluster died (<see cref="ClusterRecovery"/>), the waiting
/// conversations are woken too: those that lived there come back and take their place in line again. Every step
/// only wakes grains, so running it while they are alive, or on several silos at once, changes nothing.
/// </summary>
internal sealed class LedgerRecovery(ILedger ledger, IGrainFactory grains, ILogger<LedgerRecovery> logger)
{
    private static readonly ParallelOptions Fanout = new() { MaxDegreeOfParallelism = 64 };

    public async Task RunAsync(CancellationToken cancellationToken) => await RunAsync(wakeWaiting: false, cancellationToken);

    public async Task RunAsync(bool wakeWaiting, CancellationToken cancellationToken)
    {
        var active = await ledger.ListActiveConversationsAsync(null, cancellationToken);

        // Lost offers first (and, after a silo's death, waiting conversations that may have lost their place), so
        // they are back in line before the queues match anything.
        var lost = active
            .Where(c => c.Item.State == ConversationState.Offered || (wakeWaiting && c.Item.State == ConversationState.Queued))
            .ToList();
        await Parallel.ForEachAsync(
            lost,
            Fanout,
            async (c, _) => await grains.ConversationCallbacks(c.Workspace, c.Item.ConversationId).WakeAsync()
        );

        var queues = await ledger.ListQueuesAsync(null, cancellationToken);
        await Parallel.ForEachAsync(queues, Fanout, async (q, _) => await grains.QueueCallbacks(q.Workspace, q.Item.QueueId).WakeAsync());

        var agents = (await ledger.ListAgentsAsync(null, cancellationToken)).Where(a => a.Item.Status == AgentStatus.Available).ToList();
        await Parallel.ForEachAsync(agents, Fanout, async (a, _) => await grains.AgentCallbacks(a.Workspace, a.Item.AgentId).WakeAsync());

        var wrappingUp = active.Where(c => c.Item.State == ConversationState.WrapUp).ToList();
        await Parallel.ForEachAsync(
            wrappingUp,
            Fanout,
            async (c, _) => await grains.ConversationCallbacks(c.Workspace, c.Item.ConversationId).WakeAsync()
        );

        var pending = lost.Count + wrappingUp.Count;
        Log.Recovered(logger, queues.Count, agents.Count, pending);
    }
}
