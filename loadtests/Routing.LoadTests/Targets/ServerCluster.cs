using System.Security.Cryptography;
using Npgsql;

namespace Routing.LoadTests.Targets;

/// <summary>
/// For <c>--silos N</c>: N server processes forming one cluster on PostgreSQL — Orleans' clustering and the ledger in a
/// database made for the run (and dropped after it), a signing key and first admin shared by all — so a run can spread
/// its calls and connections over them as a load balancer would. N = 1 is the same silo alone on PostgreSQL, the
/// baseline a cluster's cost per conversation is compared with.
/// </summary>
public sealed class ServerCluster : IAsyncDisposable
{
    private readonly List<ServerProcess> _silos = [];
    private readonly string _postgres;
    private readonly string _database;

    private ServerCluster(string postgres, string database)
    {
        _postgres = postgres;
        _database = database;
    }

    public IReadOnlyList<ServerProcess> Silos => _silos;

    /// <summary>The cluster's database, where its ledger is.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_postgres) { Database = _database }.ConnectionString;

    public static async Task<ServerCluster> StartAsync(int silos, string postgres, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, 1);
        var database = "routing_load_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(postgres))
        {
            await admin.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var cluster = new ServerCluster(postgres, database);
        try
        {
            var member = new ServerProcess.ClusterMember(
                new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString,
                database,
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))
            );
            // The first creates the schema; the others join it.
            cluster._silos.Add(await ServerProcess.StartAsync(log, member, cancellationToken));
            for (var i = 1; i < silos; i++)
            {
                cluster._silos.Add(await ServerProcess.StartAsync(log, member, cancellationToken));
            }
            await log.WriteLineAsync($"a cluster of {silos} silo(s) on PostgreSQL database {database}");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        await using var admin = new NpgsqlConnection(_postgres);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
