using System.Net;
using Routing.Grains.Hosting;

namespace Routing.Silo;

public static class RoutingSiloExtensions
{
    /// <summary>The largest request body the API accepts; larger ones are answered 413.</summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    /// <summary>
    /// Makes this process a silo of the routing service: localhost clustering on the <c>Routing:Cluster</c>
    /// ports (joining the first silo when <c>PrimarySiloPort</c> is set), the routing grains and the embedded ledger.
    /// </summary>
    public static WebApplicationBuilder AddRoutingSilo(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection("Routing:Cluster").Get<ClusterEndpoints>() ?? new ClusterEndpoints();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort,
                cluster.PrimarySiloPort is { } primary ? new IPEndPoint(IPAddress.Loopback, primary) : null);
            silo.AddRoutingGrains();
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        return builder;
    }
}
