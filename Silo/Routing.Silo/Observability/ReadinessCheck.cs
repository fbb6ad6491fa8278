using Microsoft.Extensions.Diagnostics.HealthChecks;
using Routing.Ledger;

namespace Routing.Silo.Observability;

/// <summary>
/// <c>/health/ready</c>: this silo is Active in its cluster, its ledger answers, and it is not shutting down — so a
/// load balancer sends it traffic only when it can serve, and drains it first when it stops.
/// </summary>
public sealed class ReadinessCheck(
    IClusterMembershipService membership,
    ILocalSiloDetails self,
    ILedger ledger,
    IHostApplicationLifetime lifetime
) : IHealthCheck
{
    private static readonly TimeSpan LedgerTimeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("shutting down");
        }
        var status = membership.CurrentSnapshot.GetSiloStatus(self.SiloAddress);
        if (status != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"silo is {status}");
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(LedgerTimeout);
            await ledger.GetQueueAsync("health", "ready", timeout.Token);
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("the ledger does not answer", e);
        }
        return HealthCheckResult.Healthy();
    }
}
