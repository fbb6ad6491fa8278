using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Routing.Contracts.Realtime;
using Routing.Ledger;
using Routing.Policy;

namespace Routing.Grains.Hosting;

public static class RoutingSiloBuilderExtensions
{
    /// <summary>
    /// Adds the routing grains' services to a silo: the routing clock, the <c>Routing</c> options, the embedded
    /// SQLite ledger (unless another <see cref="ILedger"/> is registered first) and the start-up recovery.
    /// </summary>
    public static ISiloBuilder AddRoutingGrains(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.TryAddSingleton(RoutingClock.System);
        services.TryAddSingleton<IRoutingEventSink, NoRoutingEvents>();
        services.AddOptions<RoutingOptions>().BindConfiguration("Routing").PostConfigure(o => o.WithDefaults());
        if (!services.Any(s => s.ServiceType == typeof(ILedger)))
        {
            services.AddOptions<LedgerOptions>().BindConfiguration("Routing");
            services.AddSqliteLedger();
        }
        services.AddSingleton<LedgerRecovery>();
        silo.AddMemoryGrainStorage("PubSubStore");
        silo.AddMemoryStreams(RealtimeStreams.Provider);
        silo.AddStartupTask((sp, ct) => sp.GetRequiredService<ILedger>().InitializeAsync(ct), ServiceLifecycleStage.RuntimeInitialize);
        silo.AddStartupTask((sp, ct) => sp.GetRequiredService<LedgerRecovery>().RunAsync(ct), ServiceLifecycleStage.Active);
        return silo;
    }
}
