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

    /// <summary>
    /// In cluster mode: the address other silos reach this one at. Unset, Orleans picks this host's first
    /// non-loopback address; set <c>127.0.0.1</c> to run several silos on one machine without a network.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>In cluster mode: the cluster's name; every silo of one cluster uses the same. Default <c>routing</c>.</summary>
    public string ClusterId { get; set; } = "routing";
}
