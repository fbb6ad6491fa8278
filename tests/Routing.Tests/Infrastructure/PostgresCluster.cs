namespace Routing.Tests.Infrastructure;

/// <summary>
/// Silos of one cluster (cluster mode, real processes) on a PostgreSQL database of the test's own: every silo started
/// through it is stopped, and the database dropped, when it is disposed.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];

    private PostgresCluster(string database) => Database = database;

    /// <summary>The connection string of the cluster's database (its ledger and its membership table).</summary>
    public string Database { get; }

    public static async Task<PostgresCluster> CreateAsync() => new(await TestPostgres.CreateDatabaseAsync());

    /// <summary>Starts <paramref name="count"/> silos at once; returns once each listens.</summary>
    public async Task<SiloProcess[]> StartSilosAsync(int count)
    {
        var silos = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => SiloProcess.StartInClusterAsync(Database)));
        _silos.AddRange(silos);
        return silos;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        await TestPostgres.DropDatabaseAsync(Database);
    }
}
