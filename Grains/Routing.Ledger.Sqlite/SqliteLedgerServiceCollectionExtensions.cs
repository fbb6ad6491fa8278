using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Routing.Ledger;

public static class SqliteLedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded SQLite ledger as the singleton <see cref="ILedger"/>, unless another ledger is
    /// registered already, and <see cref="LedgerOptions"/>. Binding the options is left to the host (the silo binds
    /// <c>Routing:Ledger</c> and <c>Routing:DataDirectory</c>): this project does not reference the configuration
    /// binder. The host must call
    /// <see cref="ILedger.InitializeAsync"/> before the ledger is used.
    /// </summary>
    public static IServiceCollection AddSqliteLedger(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<LedgerOptions>();
        services.TryAddSingleton<ILedger, SqliteLedger>();
        return services;
    }
}
