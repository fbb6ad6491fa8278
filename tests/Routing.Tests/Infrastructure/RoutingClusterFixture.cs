using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Routing.Contracts;
using Routing.Grains;
using Routing.Grains.Hosting;
using Routing.Ledger;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// Two real silos in one process (Orleans' InProcessTestCluster) with the real grains and the real SQLite
/// ledger in a temporary directory. Routing time is a fake clock the tests move forward; Orleans keeps real
/// time. Tests share the cluster and keep out of each other's way by each using a workspace of its own.
/// </summary>
public sealed class RoutingClusterFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 11, 10, 16, 0, 0, TimeSpan.Zero);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "routing-tests-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteLedger _ledger;

    public RoutingClusterFixture()
    {
        _ledger = new SqliteLedger(Options.Create(new LedgerOptions { DataDirectory = _dataDirectory }), NullLogger<SqliteLedger>.Instance);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo(
            (_, silo) =>
            {
                silo.Services.AddSingleton<ILedger>(_ledger);
                silo.Services.AddSingleton(new RoutingClock(Time));
                silo.Services.AddSingleton<IRoutingEventSink>(Events);
                silo.AddRoutingGrains();
            }
        );
        builder.ConfigureClient(client => client.Services.AddRealtimeContractsSerialization());
        Cluster = builder.Build();
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public RecordingEventSink Events { get; } = new();

    public InProcessTestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.Client;

    public ILedger Ledger => _ledger;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await _ledger.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class RoutingClusterCollection : ICollectionFixture<RoutingClusterFixture>
{
    public const string Name = "routing cluster";
}
