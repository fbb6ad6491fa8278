using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Routing.Client;
using Routing.Grains;
using Routing.Ledger;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// Two real silos — the whole server (Program), each with its API and hubs — in one Orleans cluster (the second
/// joins the first), sharing one ledger. Tests connect realtime clients to one silo and drive the other.
/// Presence and connection renewal are shortened so tests about them take seconds, not minutes.
/// </summary>
public sealed class TwoSiloCluster : IAsyncLifetime
{
    public const int PresenceGraceSeconds = 2;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "routing-two-silos-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteLedger _ledger;

    public TwoSiloCluster()
    {
        _ledger = new SqliteLedger(Options.Create(new LedgerOptions { DataDirectory = _dataDirectory }), NullLogger<SqliteLedger>.Instance);
        var primaryPort = FreePort.Next();
        A = new SiloHost(this, primaryPort, primary: null);
        B = new SiloHost(this, FreePort.Next(), primary: primaryPort);
    }

    public SiloHost A { get; }

    public SiloHost B { get; }

    public RecordingEventSink Events { get; } = new();

    public Task InitializeAsync()
    {
        _ = A.Server; // starts the first silo, which the second joins
        _ = B.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await _ledger.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    public sealed class SiloHost(TwoSiloCluster cluster, int siloPort, int? primary) : WebApplicationFactory<Program>
    {
        public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

        /// <summary>How a realtime client reaches this silo's hubs (long polling over the in-memory server), as an admin.</summary>
        public RealtimeOptions Realtime => RealtimeAs(TestTokens.Admin);

        /// <summary>How a realtime client with <paramref name="token"/> reaches this silo's hubs.</summary>
        public RealtimeOptions RealtimeAs(string token) =>
            new()
            {
                Server = Server.BaseAddress,
                HttpMessageHandler = Server.CreateHandler,
                Transports = HttpTransportType.LongPolling,
                AccessTokenProvider = () => Task.FromResult<string?>(token),
            };

        protected override void ConfigureClient(HttpClient client)
        {
            base.ConfigureClient(client);
            client.WithToken(TestTokens.Admin);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Routing:DataDirectory", cluster._dataDirectory);
            foreach (var (key, value) in TestTokens.HostSettings())
            {
                builder.UseSetting(key, value);
            }
            builder.UseSetting("Routing:Cluster:SiloPort", siloPort.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Routing:Cluster:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
            if (primary is { } port)
            {
                builder.UseSetting("Routing:Cluster:PrimarySiloPort", port.ToString(CultureInfo.InvariantCulture));
            }
            builder.UseSetting("Routing:Realtime:PresenceGraceSeconds", PresenceGraceSeconds.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Routing:Realtime:ConnectionRenewSeconds", "1");
            builder.UseSetting("Routing:Realtime:ConnectionExpirySeconds", "5");
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<ILedger>(cluster._ledger);
                services.AddSingleton<IRoutingEventSink>(cluster.Events);
            });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TwoSiloCollection : ICollectionFixture<TwoSiloCluster>
{
    public const string Name = "two silos";
}
