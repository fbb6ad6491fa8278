namespace Routing.Contracts;

/// <summary>
/// How the silos keep track of realtime connections (<c>Routing:Realtime</c>; docs/realtime.md): how many one agent may
/// hold, how often each silo renews those it holds with the grains, when an unrenewed one counts as gone (its silo
/// died), and how long an agent left with none keeps its status. Checked when the silo starts.
/// </summary>
public sealed class ConnectionOptions
{
    public const string Section = "Routing:Realtime";

    /// <summary>The most realtime connections one agent may hold at once (desk tabs, devices). Default 10.</summary>
    public int MaxConnectionsPerAgent { get; set; } = 10;

    /// <summary>How long an agent whose last realtime connection dropped stays as it was before it is set Offline. Default 30.</summary>
    public int PresenceGraceSeconds { get; set; } = 30;

    /// <summary>How often each silo tells grains its realtime connections are still open, in seconds. Default 10.</summary>
    public int ConnectionRenewSeconds { get; set; } = 10;

    /// <summary>After how long without renewal a connection counts as gone (its silo died), in seconds. Default 35.</summary>
    public int ConnectionExpirySeconds { get; set; } = 35;

    /// <summary>What is wrong with the settings, each naming its key; empty when they are sound.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxConnectionsPerAgent < 1)
        {
            yield return $"{Section}:MaxConnectionsPerAgent must be at least 1.";
        }
        if (PresenceGraceSeconds < 0)
        {
            yield return $"{Section}:PresenceGraceSeconds must not be negative.";
        }
        if (ConnectionRenewSeconds < 1)
        {
            yield return $"{Section}:ConnectionRenewSeconds must be at least 1.";
        }
        if (ConnectionExpirySeconds <= ConnectionRenewSeconds)
        {
            yield return $"{Section}:ConnectionExpirySeconds ({ConnectionExpirySeconds}) must be longer than ConnectionRenewSeconds "
                + $"({ConnectionRenewSeconds}), or open connections would count as gone between renewals.";
        }
    }
}
