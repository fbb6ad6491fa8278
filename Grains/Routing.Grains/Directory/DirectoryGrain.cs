using Orleans.Concurrency;
using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Directory;

/// <summary>Lists a workspace's queues and agents, and reports its history, from the ledger.</summary>
/// <remarks>[StatelessWorker] because it holds no state: each call only reads the ledger.</remarks>
[StatelessWorker]
public sealed class DirectoryGrain(ILedger ledger) : Grain, IDirectoryGrain
{
    public async Task<IReadOnlyList<QueueInfo>> ListQueuesAsync() =>
        (await ledger.ListQueuesAsync(this.GetPrimaryKeyString())).Select(q => q.Item).ToList();

    public async Task<IReadOnlyList<AgentView>> ListAgentsAsync() =>
        (await ledger.ListAgentsAsync(this.GetPrimaryKeyString()))
            .Select(a => a.Item)
            .Select(a => new AgentView(a.AgentId, a.Definition, a.Status, a.Reason, a.StatusSince, a.IdleSince, a.MissedOffersInRow, [], []))
            .ToList();

    public Task<IReadOnlyList<IntervalRow>> ReportIntervalsAsync(IntervalQuery query) =>
        ledger.ReportIntervalsAsync(this.GetPrimaryKeyString(), query);
}
