using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains.Knowledge;
using Routing.Knowledge;
using Routing.Ledger;

namespace Routing.Grains.Hosting;

public static class RoutingSiloBuilderExtensions
{
    /// <summary>
    /// Adds the routing grains' services to a silo: the routing clock, the <c>Routing</c> options, the embedded
    /// SQLite ledger (unless another <see cref="ILedger"/> is registered first), the start-up recovery, the
    /// recovery after another silo's death, and the silo's <see cref="AdmissionGate"/> for new conversations.
    /// </summary>
    public static ISiloBuilder AddRoutingGrains(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.AddRealtimeContractsSerialization();
        services.TryAddSingleton(RoutingClock.System);
        services.TryAddSingleton<RoutingEvents>();
        // Each part binds a section of its own (the routing rules take the top level of Routing) and is checked at start.
        services.AddCheckedOptions<RoutingOptions>("Routing", o => o.Problems()).PostConfigure(o => o.WithDefaults());
        services.AddCheckedOptions<ConnectionOptions>(ConnectionOptions.Section, o => o.Problems());
        services
            .AddOptions<AdmissionOptions>()
            .BindConfiguration("Routing:Admission")
            .Validate(o => o.MaxCreatesInFlight >= 1, "Routing:Admission:MaxCreatesInFlight must be at least 1.")
            .Validate(o => o.RetryAfterSeconds >= 1, "Routing:Admission:RetryAfterSeconds must be at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new AdmissionGate(sp.GetRequiredService<IOptions<AdmissionOptions>>().Value));
        services.AddOptions<Access.LockoutOptions>().BindConfiguration("Routing:Auth:Lockout");
        services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.Section);
        services.TryAddSingleton<IKnowledgeSource, LedgerKnowledgeSource>();
        services.TryAddSingleton(sp => new KnowledgeSearch(
            sp.GetRequiredService<IKnowledgeSource>(),
            sp.GetRequiredService<RoutingClock>().Time,
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value.RefreshSeconds)
        ));
        services.AddSingleton<LedgerRecovery>();
        services.AddSingleton<ClusterRecovery>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ClusterRecovery>());
        silo.AddIncomingGrainCallFilter<LogScopeFilter>();
        silo.AddIncomingGrainCallFilter<LedgerFailureFilter>(); // inside the scope, so its log names the grain
        silo.AddMemoryGrainStorage("PubSubStore");
        silo.AddMemoryStreams(RealtimeStreams.Provider);
        // First of all: in cluster mode the ledger's schema includes the tables Orleans' membership starts on.
        silo.AddStartupTask((sp, ct) => sp.GetRequiredService<ILedger>().InitializeAsync(ct), ServiceLifecycleStage.First);
        silo.AddStartupTask((sp, ct) => sp.GetRequiredService<LedgerRecovery>().RunAsync(ct), ServiceLifecycleStage.Active);
        return silo;
    }
}
