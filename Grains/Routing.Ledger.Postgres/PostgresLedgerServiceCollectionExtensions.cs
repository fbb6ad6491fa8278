using Microsoft.Extensions.DependencyInjection;

namespace Routing.Ledger;

public static class PostgresLedgerServiceCollectionExtensions
{
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
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PostgresLedger>>()
        ));
        return services;
    }
}
