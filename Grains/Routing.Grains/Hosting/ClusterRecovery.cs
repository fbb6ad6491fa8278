using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Hosting;

/// <summary>
/// Watches the cluster's membership; when another silo is declared dead, ends its sessions with a shared ledger
/// (<see cref="ISiloSessions"/>: a frozen process's open batch would keep the locks of its rows), tells this silo's
/// <see cref="ISiloDeathListener"/>s (realtime connections renew with the grains activated afresh), then runs <see cref="LedgerRecovery"/>
/// (waiting
/// conversations included) so that what lived there — queues, agents, conversations waiting or being offered — is
/// activated on the silos left and routed again, without waiting for a customer or an agent to touch it. Every
/// surviving silo does it; waking is idempotent.
/// </summary>
internal sealed class ClusterRecovery(
    IClusterMembershipService membership,
    ILocalSiloDetails self,
    ILedger ledger,
    LedgerRecovery recovery,
    IEnumerable<ISiloDeathListener> listeners,
    ILogger<ClusterRecovery> logger
) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterRecovery), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _watch = Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watch.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        var dead = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stopping))
            {
                var died = snapshot
                    .Members.Values.Where(m =>
                        m.Status == SiloStatus.Dead && !m.SiloAddress.Equals(self.SiloAddress) && dead.Add(m.SiloAddress)
                    )
                    .Select(m => m.SiloAddress)
                    .ToList();
                if (died.Count == 0)
                {
                    continue;
                }
                Log.SiloDied(logger, string.Join(", ", died));
                if (ledger is ISiloSessions sessions)
                {
                    foreach (var silo in died)
                    {
                        try
                        {
                            var ended = await sessions.EndSessionsOfAsync(
                                silo.Endpoint.Address.ToString(),
                                silo.Endpoint.Port,
                                silo.Generation,
                                stopping
                            );
                            Log.DeadSiloSessionsEnded(logger, silo.ToString(), ended);
                        }
                        catch (Exception e) when (!stopping.IsCancellationRequested)
                        {
                            Log.ClusterRecoveryFailed(logger, e); // another survivor may end them; recovery runs all the same
                        }
                    }
                }
                try
                {
                    await Task.WhenAll(listeners.Select(l => l.SiloDiedAsync(stopping)));
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    Log.ClusterRecoveryFailed(logger, e); // recovery runs all the same
                }
                try
                {
                    await recovery.RunAsync(wakeWaiting: true, stopping);
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    Log.ClusterRecoveryFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
    }
}
