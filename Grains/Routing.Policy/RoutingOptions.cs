namespace Routing.Policy;

/// <summary>
/// The routing rules a deployment may tune, bound from the <c>Routing</c> configuration section. Every
/// default is the one docs/operations.md, "Configuration", gives.
/// </summary>
public sealed class RoutingOptions
{
    /// <summary>The channels and an agent's default capacity on each. Default chat 3, social 3, email 5, voice 1;
    /// setting any channel in configuration replaces the whole set.</summary>
    public Dictionary<string, int> Channels { get; set; } = [];

    /// <summary>Base priority of each customer tier. Default standard 10, silver 20, gold 30, vip 50.</summary>
    public Dictionary<string, int> TierPriorities { get; set; } = [];

    /// <summary>Channels that keep a transcript. Default chat and social.</summary>
    public List<string> TranscriptChannels { get; set; } = [];

    /// <summary>Missed offers in a row after which an agent is set Away with reason <c>missed-offers</c>. Default 2.</summary>
    public int MissedOffersBeforeAway { get; set; } = 2;

    /// <summary>The longest transcript message, in characters. Default 4,000.</summary>
    public int MaxMessageLength { get; set; } = 4_000;

    /// <summary>The most messages one transcript may hold. Default 1,000.</summary>
    public int MaxTranscriptMessages { get; set; } = 1_000;

    /// <summary>The most realtime connections one agent may hold at once (desk tabs, devices). Default 10.</summary>
    public int MaxConnectionsPerAgent { get; set; } = 10;

    /// <summary>How long an agent whose last realtime connection dropped stays as it was before it is set Offline. Default 30.</summary>
    public int PresenceGraceSeconds { get; set; } = 30;

    /// <summary>How often each silo tells grains its realtime connections are still open, in seconds. Default 10.</summary>
    public int ConnectionRenewSeconds { get; set; } = 10;

    /// <summary>After how long without renewal a connection counts as gone (its silo died), in seconds. Default 35.</summary>
    public int ConnectionExpirySeconds { get; set; } = 35;

    /// <summary>How far back the answer rate for estimated waits looks, in seconds. Default 300.</summary>
    public int WaitEstimateWindowSeconds { get; set; } = 300;

    /// <summary>The window of the live queue statistics, in seconds. Default 900 (15 minutes).</summary>
    public int StatisticsWindowSeconds { get; set; } = 900;

    public static IReadOnlyDictionary<string, int> DefaultChannels { get; } =
        new Dictionary<string, int>(StringComparer.Ordinal) { ["chat"] = 3, ["social"] = 3, ["email"] = 5, ["voice"] = 1 };

    public static IReadOnlyDictionary<string, int> DefaultTierPriorities { get; } =
        new Dictionary<string, int>(StringComparer.Ordinal) { ["standard"] = 10, ["silver"] = 20, ["gold"] = 30, ["vip"] = 50 };

    /// <summary>Fills every setting left empty with its default. Called once after binding.</summary>
    public RoutingOptions WithDefaults()
    {
        if (Channels.Count == 0)
        {
            Channels = new Dictionary<string, int>(DefaultChannels, StringComparer.Ordinal);
        }
        if (TierPriorities.Count == 0)
        {
            TierPriorities = new Dictionary<string, int>(DefaultTierPriorities, StringComparer.Ordinal);
        }
        if (TranscriptChannels.Count == 0)
        {
            TranscriptChannels = ["chat", "social"];
        }
        return this;
    }

    /// <summary>The base priority of a tier, or null for a tier that is not configured.</summary>
    public int? PriorityOf(string tier) => TierPriorities.TryGetValue(tier, out var p) ? p : null;

    public bool KeepsTranscript(string channel) => TranscriptChannels.Contains(channel, StringComparer.Ordinal);
}
