namespace Routing.Silo;

/// <summary>Where this silo listens for other silos and clients. Bound from <c>Routing:Cluster</c>.</summary>
public sealed class ClusterEndpoints
{
    /// <summary>The port silos talk to each other on. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port external Orleans clients connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Without a database: the silo port of the first silo on this machine, for further silos to join it
    /// (development clustering). Unset, this silo is the first.
    /// </summary>
    public int? PrimarySiloPort { get; set; }
}
