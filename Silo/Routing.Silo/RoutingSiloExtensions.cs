using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Routing.Grains.Hosting;
using Routing.Ledger;

namespace Routing.Silo;

public static class RoutingSiloExtensions
{
    /// <summary>The largest request body the API accepts; larger ones are answered 413.</summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    /// <summary>The connection string that switches a silo to cluster mode.</summary>
    public const string ConnectionStringName = "Routing";

    /// <summary>
    /// Makes this process a silo of the routing service. With a PostgreSQL connection string in
    /// <c>ConnectionStrings:Routing</c>, cluster mode: Orleans' ADO.NET clustering and the PostgreSQL ledger on that
    /// database, listening on the <c>Routing:Cluster</c> ports. Without one, the embedded default: the SQLite ledger
    /// and localhost clustering (a second silo on this machine joins the first through <c>PrimarySiloPort</c>).
    /// </summary>
    public static WebApplicationBuilder AddRoutingSilo(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection("Routing:Cluster").Get<ClusterEndpoints>() ?? new ClusterEndpoints();
        var database = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(database))
        {
            if (
                string.IsNullOrWhiteSpace(builder.Configuration["Routing:Auth:SigningKey"])
                && string.IsNullOrWhiteSpace(builder.Configuration["Routing:Auth:SigningKeyFile"])
            )
            {
                // Each silo would sign tokens with a key of its own, and a customer or an agent whose connection
                // reaches another silo would be turned away.
                throw new InvalidOperationException(
                    "Cluster mode (ConnectionStrings:Routing) needs Routing:Auth:SigningKey (or SigningKeyFile), the same on every silo: "
                        + "a base64 key of at least 32 bytes, e.g. Routing__Auth__SigningKey=$(openssl rand -base64 32)."
                );
            }
        }
        // The silo chooses the ledger's engine: PostgreSQL in cluster mode, the embedded SQLite file otherwise. The
        // grains take whichever it is (a test host may have registered its own first).
        builder
            .Services.AddCheckedOptions<LedgerOptions>(LedgerOptions.Section, o => o.Problems())
            .Configure<IConfiguration>(
                (o, configuration) => o.DataDirectory = configuration["Routing:DataDirectory"] is { Length: > 0 } d ? d : o.DataDirectory
            );
        if (!string.IsNullOrWhiteSpace(database))
        {
            builder.Services.AddPostgresLedger(database);
        }
        else
        {
            builder.Services.AddSqliteLedger();
        }
        builder.UseOrleans(silo =>
        {
            if (string.IsNullOrWhiteSpace(database))
            {
                silo.UseLocalhostClustering(
                    cluster.SiloPort,
                    cluster.GatewayPort,
                    cluster.PrimarySiloPort is { } primary ? new IPEndPoint(IPAddress.Loopback, primary) : null
                );
            }
            else
            {
                UseDatabaseClustering(silo, cluster, database);
            }
            silo.AddRoutingGrains();
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        return builder;
    }

    private static void UseDatabaseClustering(ISiloBuilder silo, ClusterEndpoints cluster, string database)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = "routing";
        });
        if (cluster.AdvertisedAddress is { Length: > 0 } address)
        {
            silo.ConfigureEndpoints(IPAddress.Parse(address), cluster.SiloPort, cluster.GatewayPort);
        }
        else
        {
            silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        }
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = database;
        });
        // A silo that dies must be declared dead in seconds, not the default half-minute, so that what it held is
        // brought back on the others quickly: probes every 2 s, dead after 2 missed. The membership table is read
        // every 5 s rather than every minute, so a silo that was frozen past its death reads it the moment it resumes
        // (the refresh is overdue) and stops, instead of serving stale activations for up to a minute.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 2;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        });
        // A silo declared dead — say after a freeze the others took for a death — may run on for a moment with the
        // activations it still holds: once Active, its ledger writes are fenced by its membership row, and the others
        // refuse its grain calls.
        silo.AddStartupTask(FenceLedger, ServiceLifecycleStage.BecomeActive + 1);
        silo.AddOutgoingGrainCallFilter<DeadSenderFilter>();
        silo.AddIncomingGrainCallFilter<DeadSenderFilter>();
    }

    private static Task FenceLedger(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<ILedger>() is PostgresLedger ledger)
        {
            var self = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var cluster = services.GetRequiredService<IOptions<ClusterOptions>>().Value;
            ledger.FenceBy(new WriterFence(cluster.ClusterId, self.Endpoint.Address.ToString(), self.Endpoint.Port, self.Generation));
        }
        return Task.CompletedTask;
    }
}
