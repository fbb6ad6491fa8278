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

    /// <summary>
    /// Registers the cluster ledger on the PostgreSQL database of <paramref name="connectionString"/> as the singleton
    /// <see cref="ILedger"/>, in place of the embedded one. The host must call <see cref="ILedger.InitializeAsync"/>,
    /// which also creates Orleans' clustering tables, before Orleans' membership starts.
    /// </summary>
    public static IServiceCollection AddPostgresLedger(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.AddOptions<LedgerOptions>();
        services.AddSingleton<ILedger>(sp => new PostgresLedger(
            connectionString,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LedgerOptions>>().Value.MaxBatchSize,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PostgresLedger>>()));
        return services;
    }
}
