using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Routing.Ledger;

public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded SQLite ledger as the singleton <see cref="ILedger"/>, unless another ledger is
    /// registered already, and <see cref="LedgerOptions"/>. Binding the options to the <c>Routing</c> section is left
    /// to the host (<c>services.Configure&lt;LedgerOptions&gt;(configuration.GetSection("Routing"))</c>): this
    /// project does not reference the configuration binder. The host must call
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
